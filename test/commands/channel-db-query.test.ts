import { readFile } from "node:fs/promises";
import test from "ava";
import { storeLocation } from "../../source/client/channel-store.js";
import { runDownloadCycle } from "../../source/client/download-cycle.js";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import { assertShown } from "../helpers/cli-assertions.js";
import {
	type ClientSetup,
	createPackage,
	downloadContext,
	makeClientSetup,
	pathsOf,
} from "../helpers/client-setup.js";

test.before(() => {
	buildCdxIfMissing();
});

/** A channel database with PRICES applied from one package, as its client would leave it. */
async function appliedSetup(): Promise<ClientSetup> {
	const setup = await makeClientSetup();
	await createPackage(setup, {
		PRICES: [
			{ key: "A", price: 1.5, active: true },
			{ key: "B", price: 2, active: false },
		],
	});
	const context = await downloadContext(setup);
	await runDownloadCycle(context);
	await context.store.close();
	return setup;
}

/** The Retail Server fields of a channel database on the embedded SQLite file. */
const sqliteFields = { serverName: "", databaseName: "" };

const query = (setup: ClientSetup, ...args: string[]) =>
	runCdx(["channel-db", "query", "STORE1", ...args, "--db", setup.db]);

test("channel-db show --json says where the channel database and its outbox are", async (t) => {
	const setup = await makeClientSetup();
	const shown = assertShown(t, setup.db, "channel-db", "STORE1");
	const dataFolder = pathsOf(setup, "STORE1").dataFolder;
	t.deepEqual(shown.store, {
		engine: "sqlite",
		location: storeLocation(dataFolder, sqliteFields).location,
		outbox: storeLocation(dataFolder, sqliteFields).outbox,
	});
});

test("channel-db query prints the rows of a SELECT as a table, or as JSON objects", async (t) => {
	const setup = await appliedSetup();
	const table = query(
		setup,
		"SELECT key, price, active FROM PRICES ORDER BY key",
	);
	t.is(table.status, 0, table.stderr);
	t.is(table.stdout, "key  price  active\nA    1.5    1\nB    2      0\n");
	const json = query(
		setup,
		"SELECT key, price FROM PRICES WHERE price > 1.6",
		"--json",
	);
	t.is(json.status, 0, json.stderr);
	t.deepEqual(JSON.parse(json.stdout), [{ key: "B", price: 2 }]);
});

test("channel-db query refuses every statement that would write, with exit 2, and the file is unchanged", async (t) => {
	const setup = await appliedSetup();
	const { location } = storeLocation(
		pathsOf(setup, "STORE1").dataFolder,
		sqliteFields,
	);
	const before = await readFile(location);
	const writes = [
		"INSERT INTO PRICES (key, price) VALUES ('C', 3)",
		"UPDATE PRICES SET price = 0",
		"DELETE FROM PRICES",
		"DROP TABLE PRICES",
		"ALTER TABLE PRICES ADD COLUMN x TEXT",
		"CREATE TABLE STOLEN (a)",
		"ATTACH DATABASE '/tmp/elsewhere.sqlite' AS elsewhere",
		"PRAGMA journal_mode = DELETE",
		"PRAGMA user_version = 7",
		"VACUUM",
		"REPLACE INTO PRICES (key) VALUES ('A')",
		"SELECT 1; DELETE FROM PRICES",
		"WITH x AS (SELECT 1) DELETE FROM PRICES",
		"  -- a comment\n  delete from prices",
	];
	for (const sql of writes) {
		const run = query(setup, sql);
		t.is(run.status, 2, `${sql}: ${run.stderr}`);
		t.regex(run.stderr, /^cdx: refused, nothing changed: /, sql);
		t.is(run.stdout, "");
	}
	t.deepEqual(await readFile(location), before);
	const rows = query(setup, "SELECT count(*) AS n FROM PRICES", "--json");
	t.deepEqual(JSON.parse(rows.stdout), [{ n: 2 }]);
});

test("channel-db query of a database whose client never ran says so", async (t) => {
	const setup = await makeClientSetup();
	const run = query(setup, "SELECT 1");
	t.is(run.status, 1);
	t.regex(run.stderr, /has no data yet/);
});
