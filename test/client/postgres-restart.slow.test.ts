import { readFile } from "node:fs/promises";
import test from "ava";
import pg from "pg";
import type { SessionEvent } from "../../source/domain/session-events.js";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { appliedSequence } from "../helpers/channel-rows.js";
import {
	killLeftoverClients,
	readTable,
	runNow,
	startClient,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	createPackage,
	makeClientSetup,
	pathsOf,
} from "../helpers/client-setup.js";
import { testNeeding } from "../helpers/mounts.js";
import {
	postgresEnvironment,
	postgresUnavailable,
	startPrivateCluster,
} from "../helpers/postgres.js";
import { waitUntil } from "../helpers/wait.js";

// A restart cuts every connection: this test has a cluster of its own, not the one the others share.
const serialTest = testNeeding(postgresUnavailable(), { serial: true });

test.before(() => {
	buildCdxIfMissing();
	// The client finds its user as a store server's service does: PGUSER.
	process.env.PGUSER ??= postgresEnvironment().PGUSER;
});
test.after.always(killLeftoverClients);

const packageCount = 12;

serialTest(
	"a PostgreSQL restart during a download run fails that run with the reason; the next run applies the rest, none lost or applied twice",
	async (t) => {
		t.timeout(120_000);
		const cluster = await startPrivateCluster(t);
		const database = "cdx_restart";
		await cluster.createDatabase(database);
		const setup = await makeClientSetup({
			retailServer: async () => ({
				serverName: `${cluster.server.host}:${cluster.server.port}`,
				databaseName: database,
			}),
		});
		for (let round = 1; round <= packageCount; round += 1)
			await createPackage(setup, {
				COUNTER: [{ key: "LAST", round }],
				ITEMS: Array.from({ length: 200 }, (_, index) => ({
					key: `I${(round * 50 + index) % 400}`,
					round,
				})),
			});

		// A transaction that holds ITEMS keeps the client's first apply waiting: the restart lands mid-run.
		const connection = {
			host: cluster.server.host,
			port: cluster.server.port,
			database,
			user: "postgres",
		};
		const holder = new pg.Client(connection);
		holder.on("error", () => {});
		await holder.connect();
		await holder.query(
			'CREATE TABLE "ITEMS" ("key" text PRIMARY KEY, "round" bigint)',
		);
		await holder.query('BEGIN; LOCK TABLE "ITEMS" IN ACCESS EXCLUSIVE MODE');

		const client = startClient(setup, "STORE1");
		await waitUntil(
			async () => {
				// Not on the holder's connection: activity is a snapshot for the length of a transaction.
				const watcher = new pg.Client({ ...connection });
				await watcher.connect();
				try {
					const waiting = await watcher.query(
						"SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'cdx client' AND wait_event_type = 'Lock'",
						[database],
					);
					return waiting.rowCount === 1;
				} finally {
					await watcher.end();
				}
			},
			"the client's apply waiting on ITEMS",
			30_000,
		);
		await cluster.restart();
		await holder.end().catch(() => {});

		const failed = await waitForState(
			setup,
			"STORE1",
			(state) => state.lastDownload?.status === "Failed",
			"the download run cut by the restart to fail",
			30_000,
		);
		t.regex(
			failed.lastDownload?.message ?? "",
			new RegExp(
				`^PostgreSQL server ${cluster.server.host}:${cluster.server.port}, database ${database}: `,
			),
		);
		t.is(
			await appliedSequence(pathsOf(setup, "STORE1").dataFolder, "GROUP-A"),
			0,
		);

		const next = await runNow(setup, "STORE1", "download");
		t.is(next.status, "Succeeded", next.message ?? "");
		t.is(next.packages, packageCount);
		t.is((await stopClient(client)).code, 0, client.stderr());

		const dataFolder = pathsOf(setup, "STORE1").dataFolder;
		t.is(await appliedSequence(dataFolder, "GROUP-A"), packageCount);
		t.deepEqual((await readTable(setup, "STORE1", "COUNTER")).LAST, {
			key: "LAST",
			round: packageCount,
		});
		const events = (await readFile(pathsOf(setup, "STORE1").sessionLog, "utf8"))
			.split("\n")
			.filter((line) => line.startsWith("{"))
			.map((line) => JSON.parse(line) as SessionEvent)
			.filter((event) => event.direction === "download");
		t.deepEqual(
			events
				.filter((event) => event.status === "Applied")
				.map((event) => event.sequence),
			Array.from({ length: packageCount }, (_, index) => index + 1),
			"each package applied once, in order",
		);
		t.deepEqual(
			events.filter((event) => event.status === "Apply failed"),
			[],
			"the restart cost no package a try",
		);
	},
);
