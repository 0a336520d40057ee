import { readFile } from "node:fs/promises";
import test from "ava";
import { runCdx } from "../helpers/cdx.js";
import {
	runNow,
	startClient,
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	makeClientSetup,
	writeOutbox,
} from "../helpers/client-setup.js";
import { type EngineUnderTest, engines } from "../helpers/engines.js";
import { asSuperuser } from "../helpers/postgres.js";

startsClientProcesses(test);

type Teardown = { teardown: (fn: () => Promise<void>) => void };

const cdx = (setup: ClientSetup, ...args: string[]) =>
	runCdx([...args, "--db", setup.db]);

/** STORE1 on `engine` with a package applied and an outbox file uploaded: tables, a watermark and counters. */
async function storeWithData(engine: EngineUnderTest, t: Teardown) {
	const setup = await makeClientSetup({
		retailServer: () => engine.retailServerFields(t),
	});
	await createPackage(setup, {
		PRICES: [
			{ key: "A", price: 1.5 },
			{ key: "B", price: 2 },
		],
	});
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [{ key: "t1", amount: 10 }],
	});
	const { client } = await startIdleClient(t, setup);
	return { setup, client };
}

/** `channel-db set STORE1` to keep its data at `target` (Retail Server fields). */
const storeChange = (target: { serverName: string; databaseName: string }) => [
	"channel-db",
	"set",
	"STORE1",
	"--server",
	target.serverName,
	"--database",
	target.databaseName,
];

const rowsOf = (setup: ClientSetup, sql: string) => {
	const run = cdx(setup, "channel-db", "query", "STORE1", sql, "--json");
	if (run.status !== 0) throw new Error(run.stderr);
	return JSON.parse(run.stdout) as Record<string, unknown>[];
};

// Both ends must be there: the PostgreSQL one decides whether it can run.
for (const [from, to] of [
	[engines[0], engines[1]],
	[engines[1], engines[0]],
] as [EngineUnderTest, EngineUnderTest][])
	(from.name === "postgresql" ? from : to).serialTest(
		`channel-db set --move takes every table, watermark and counter from ${from.name} to ${to.name} in one go; without --move, or while the client runs, the change is refused`,
		async (t) => {
			const { setup, client } = await storeWithData(from, t);
			const change = storeChange(await to.retailServerFields(t));
			const before = await readFile(setup.db, "utf8");

			const whileRunning = cdx(setup, ...change, "--move");
			t.is(whileRunning.status, 2);
			t.regex(
				whileRunning.stderr,
				/client of channel database STORE1 is running; stop it/,
			);
			t.is((await stopClient(client)).code, 0);
			const withoutMove = cdx(setup, ...change);
			t.is(withoutMove.status, 2);
			t.regex(
				withoutMove.stderr,
				/keeps its data in .*; changing where it is needs a move .*: add --move \(nothing changed\)/,
			);
			t.is(await readFile(setup.db, "utf8"), before, "db.json unchanged");

			const moved = cdx(setup, ...change, "--move");
			t.is(moved.status, 0, moved.stderr);
			t.regex(
				moved.stdout,
				/^Moved 2 tables \(3 rows, counts checked\) and \d+ client records from /,
			);
			const shown = JSON.parse(
				cdx(setup, "channel-db", "show", "STORE1", "--json").stdout,
			);
			t.is(shown.store.engine, to.name);
			t.deepEqual(
				rowsOf(setup, 'SELECT key, price FROM "PRICES" ORDER BY key'),
				[
					{ key: "A", price: 1.5 },
					{ key: "B", price: 2 },
				],
			);
			const checked = cdx(setup, "channel-db", "test", "STORE1");
			t.is(checked.status, 0, checked.stdout);
			t.regex(checked.stdout, /Last applied: GROUP-A package 1 /);

			// The client goes on where it was: package 2 next, the sale already uploaded stays so.
			await createPackage(setup, { PRICES: [{ key: "A", price: 3 }] });
			const next = startClient(setup, "STORE1");
			t.like(await runNow(setup, "STORE1", "download"), {
				status: "Succeeded",
				packages: 1,
			});
			t.like(await runNow(setup, "STORE1", "upload"), { status: "No data" });
			t.is((await stopClient(next)).code, 0);
			t.deepEqual(rowsOf(setup, `SELECT price FROM "PRICES" WHERE key = 'A'`), [
				{ price: 3 },
			]);
		},
	);

const postgres = engines.find((engine) => engine.name === "postgresql");
postgres?.serialTest(
	"channel-db set --move into a database that already holds tables is refused, and nothing changes",
	async (t) => {
		const sqlite = engines[0] as EngineUnderTest;
		const { setup, client } = await storeWithData(sqlite, t);
		t.is((await stopClient(client)).code, 0);
		const target = await postgres.retailServerFields(t);
		await asSuperuser(
			(admin) => admin.query('CREATE TABLE "OTHER" ("key" text PRIMARY KEY)'),
			target.databaseName,
		);
		const before = await readFile(setup.db, "utf8");
		const refused = cdx(setup, ...storeChange(target), "--move");
		t.is(refused.status, 2);
		t.regex(
			refused.stderr,
			/--move to postgresql:\/\/.* refused: .*already holds tables \(OTHER\): nothing was moved/,
		);
		t.is(await readFile(setup.db, "utf8"), before);
		t.is(
			JSON.parse(cdx(setup, "channel-db", "show", "STORE1", "--json").stdout)
				.store.engine,
			"sqlite",
		);
		t.deepEqual(rowsOf(setup, "SELECT count(*) AS n FROM PRICES"), [{ n: 2 }]);
	},
);
