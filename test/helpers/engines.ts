import { join } from "node:path";
import type { ExecutionContext, Implementation } from "ava";
import type { ChannelDatabaseEngine } from "../../source/client/channel-data/engine.js";
import { PostgresChannelDatabase } from "../../source/client/channel-data/postgres.js";
import { SqliteChannelDatabase } from "../../source/client/channel-data/sqlite.js";
import type { StoreTarget } from "../../source/domain/database-server.js";
import {
	type ClientSetup,
	makeClientSetup,
	type SetupOptions,
} from "./client-setup.js";
import { makeTempFolder } from "./database.js";
import { testNeeding } from "./mounts.js";
import {
	makeTestDatabase,
	postgresEnvironment,
	postgresUnavailable,
	testServer,
	testServerField,
} from "./postgres.js";

type Teardown = { teardown: (fn: () => Promise<void>) => void };

/**
 * Each channel database engine, for suites that run once per engine: the
 * embedded SQLite file always, PostgreSQL where a test server is running
 * (declared through testNeeding: skipped saying why, failed under .ci/run).
 */
export type EngineUnderTest = {
	name: StoreTarget["engine"];
	test: (title: string, implementation: Implementation<[]>) => void;
	/** The same, one test at a time: for tests that start processes and would starve each other. */
	serialTest: (title: string, implementation: Implementation<[]>) => void;
	/** A new, empty channel database of this engine, closed when the test ends. */
	open(t: Teardown): Promise<ChannelDatabaseEngine>;
	/** The Retail Server fields of a channel database record that keeps its data here (a new database each call). */
	retailServerFields(
		t: Teardown,
	): Promise<{ serverName: string; databaseName: string }>;
	/** The environment a `cdx client` process needs to reach it (libpq's variables). */
	environment: Record<string, string>;
};

// The test server's superuser, by libpq's convention: what a store server's service sets too.
if (postgresUnavailable() === null)
	process.env.PGUSER ??= postgresEnvironment().PGUSER;

export const engines: EngineUnderTest[] = [
	{
		name: "sqlite",
		test: testNeeding(null),
		serialTest: testNeeding(null, { serial: true }),
		open: async (t) => {
			const file = join(await makeTempFolder(), "channel-database.sqlite");
			const database = await SqliteChannelDatabase.open(file);
			t.teardown(() => database.close());
			return database;
		},
		retailServerFields: async () => ({ serverName: "", databaseName: "" }),
		environment: {},
	},
	{
		name: "postgresql",
		test: testNeeding(postgresUnavailable()),
		serialTest: testNeeding(postgresUnavailable(), { serial: true }),
		open: async (t) => {
			const name = await makeTestDatabase(t);
			const database = await PostgresChannelDatabase.open(testServer(), name);
			// Registered after the drop: teardowns run last first, so it closes before the drop.
			t.teardown(() => database.close());
			return database;
		},
		retailServerFields: async (t) => ({
			serverName: testServerField(),
			databaseName: await makeTestDatabase(t),
		}),
		environment: postgresUnavailable() === null ? postgresEnvironment() : {},
	},
];

/** The engines by name: a suite split between `npm test` and the slow suite picks its half. */
export const sqliteEngine = engines[0] as EngineUnderTest;
export const postgresEngine = engines[1] as EngineUnderTest;

/**
 * Declares `title` once for each of `on` (default: both engines), titled
 * "ENGINE: title", handing the implementation the engine: the one way a
 * client suite runs against both, not a copy per engine.
 */
export function testOnEachEngine(
	title: string,
	implementation: (
		t: ExecutionContext,
		engine: EngineUnderTest,
	) => Promise<void> | void,
	{
		serial = false,
		on = engines,
	}: { serial?: boolean; on?: EngineUnderTest[] } = {},
): void {
	for (const engine of on)
		(serial ? engine.serialTest : engine.test)(
			`${engine.name}: ${title}`,
			(t) => implementation(t, engine),
		);
}

/** A client set-up (client-setup.ts) whose channel databases keep their data on `engine`. */
export function clientSetupOn(
	engine: EngineUnderTest,
	t: Teardown,
	options: Omit<SetupOptions, "retailServer"> = {},
): Promise<ClientSetup> {
	return makeClientSetup({
		...options,
		retailServer: () => engine.retailServerFields(t),
	});
}
