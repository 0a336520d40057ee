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
	pathsOf,
} from "../helpers/client-setup.js";
import { engines } from "../helpers/engines.js";
import { testNeeding } from "../helpers/mounts.js";
import {
	asSuperuser,
	postgresUnavailable,
	testServer,
	testServerField,
} from "../helpers/postgres.js";

// What an operator sees of a channel database kept on a PostgreSQL server, through the built cdx.
const postgresTest = testNeeding(postgresUnavailable());
const postgres = engines.find((engine) => engine.name === "postgresql");

startsClientProcesses(test);

type Teardown = { teardown: (fn: () => Promise<void>) => void };

/** STORE1 on its own new PostgreSQL database, with PRICES applied by its client. */
async function appliedOnPostgres(t: Teardown): Promise<ClientSetup> {
	if (postgres === undefined) throw new Error("no PostgreSQL engine");
	const setup = await makeClientSetup({
		retailServer: () => postgres.retailServerFields(t),
	});
	await createPackage(setup, {
		PRICES: [
			{ key: "A", price: 1.5, active: true },
			{ key: "B", price: 2, active: false },
		],
	});
	const { client } = await startIdleClient(t, setup);
	await stopClient(client);
	return setup;
}

const databaseOf = (setup: ClientSetup) =>
	setup.store.getSnapshot().configuration.channelDatabases[0]?.databaseName ??
	"";

const cdx = (setup: ClientSetup, args: string[], env = {}) =>
	runCdx([...args, "--db", setup.db], { env });

postgresTest(
	"channel-db show --json names the PostgreSQL database, never a password",
	async (t) => {
		const setup = await makeClientSetup({
			retailServer: async () => ({
				serverName: testServerField(),
				databaseName: "shop_1",
			}),
		});
		const shown = cdx(setup, ["channel-db", "show", "STORE1", "--json"], {
			PGPASSWORD: "a secret of the service",
		});
		t.is(shown.status, 0, shown.stderr);
		const { host, port } = testServer();
		t.deepEqual(JSON.parse(shown.stdout).store, {
			engine: "postgresql",
			location: `postgresql://${host}:${port}/shop_1`,
			outbox: `${pathsOf(setup, "STORE1").dataFolder}/outbox`,
		});
		t.false(shown.stdout.includes("a secret"));
	},
);

postgresTest(
	"channel-db query reads the PostgreSQL database; a statement that would write is refused with exit 2 and changes nothing",
	async (t) => {
		const setup = await appliedOnPostgres(t);
		const table = cdx(setup, [
			"channel-db",
			"query",
			"STORE1",
			'SELECT key, price, active FROM "PRICES" ORDER BY key',
		]);
		t.is(table.status, 0, table.stderr);
		t.is(
			table.stdout,
			"key  price  active\nA    1.5    true\nB    2      false\n",
		);
		for (const sql of [
			`INSERT INTO "PRICES" (key, price) VALUES ('C', 3)`,
			`UPDATE "PRICES" SET price = 0`,
			`DELETE FROM "PRICES"`,
			`DROP TABLE "PRICES"`,
			`WITH gone AS (DELETE FROM "PRICES" RETURNING *) SELECT * FROM gone`,
			`SELECT 1; DELETE FROM "PRICES"`,
			"CREATE TABLE stolen (a int)",
			"SET default_transaction_read_only = off",
			"COPY \"PRICES\" TO '/tmp/prices.csv'",
			"SELECT nextval('no_such_sequence')",
		]) {
			const run = cdx(setup, ["channel-db", "query", "STORE1", sql]);
			t.is(run.status, 2, `${sql}: ${run.stderr}`);
			t.regex(run.stderr, /^cdx: refused, nothing changed: /, sql);
		}
		const count = cdx(setup, [
			"channel-db",
			"query",
			"STORE1",
			'SELECT count(*) AS n FROM "PRICES"',
			"--json",
		]);
		t.deepEqual(JSON.parse(count.stdout), [{ n: 2 }]);
	},
);

postgresTest(
	"channel-db test passes every check on a PostgreSQL store its client uses, naming engine, version, tables and progress",
	async (t) => {
		const setup = await appliedOnPostgres(t);
		const run = cdx(setup, ["channel-db", "test", "STORE1"]);
		t.is(run.status, 0, run.stdout + run.stderr);
		const lines = run.stdout.trimEnd().split("\n");
		t.true(
			lines.every((line) => line.startsWith("✓ ")),
			run.stdout,
		);
		t.regex(
			run.stdout,
			/✓ Channel database: postgresql \d+\.\d+.* at postgresql:\/\//,
		);
		t.regex(run.stdout, /✓ Tables: 1 \(PRICES\)/);
		t.regex(run.stdout, /✓ Last applied: GROUP-A package 1 /);
		t.regex(run.stdout, /✓ Rows waiting to upload: 0/);
	},
);

postgresTest(
	"a database that does not exist: channel-db test and query say so in one line naming server and database (exit 1 and 2); the client's runs fail with the reason until it is created",
	async (t) => {
		const name = `cdx_missing_${process.pid}`;
		const setup = await makeClientSetup({
			retailServer: async () => ({
				serverName: testServerField(),
				databaseName: name,
			}),
		});
		const { host, port } = testServer();
		const place = `PostgreSQL server ${host}:${port}, database ${name}`;
		const checked = cdx(setup, ["channel-db", "test", "STORE1"]);
		t.is(checked.status, 1);
		t.regex(
			checked.stdout,
			new RegExp(
				`✗ Channel database: ${place}: database "${name}" does not exist\n  fix: create it \\(createdb -h ${host} -p ${port} ${name}\\)`,
			),
		);
		const queried = cdx(setup, ["channel-db", "query", "STORE1", "SELECT 1"]);
		t.is(queried.status, 2);
		t.is(
			queried.stderr,
			`cdx: channel database STORE1: ${place}: database "${name}" does not exist; create it (createdb -h ${host} -p ${port} ${name}) or correct Retail Server: database\n`,
		);

		await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
		const { client, idle: first } = await startIdleClient(t, setup);
		t.is(first.lastDownload?.status, "Failed");
		t.true(
			first.lastDownload?.message?.startsWith(
				`${place}: database "${name}" does not exist`,
			),
			first.lastDownload?.message ?? "",
		);
		await asSuperuser((admin) => admin.query(`CREATE DATABASE ${name}`));
		t.teardown(() =>
			asSuperuser(async (admin) => {
				await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			}),
		);
		t.like(await runNow(setup, "STORE1", "download"), {
			status: "Succeeded",
			packages: 1,
		});
		t.is((await stopClient(client)).code, 0, client.stderr());
	},
);

postgresTest(
	"credentials the server refuses: channel-db query exits 2 naming server, database and user; the client's run fails with that reason",
	async (t) => {
		const setup = await appliedOnPostgres(t);
		const refused = { PGUSER: "cdx_nobody" };
		const { host, port } = testServer();
		const queried = cdx(
			setup,
			["channel-db", "query", "STORE1", "SELECT 1"],
			refused,
		);
		t.is(queried.status, 2);
		t.is(
			queried.stderr,
			`cdx: channel database STORE1: PostgreSQL server ${host}:${port}, database ${databaseOf(setup)}: role "cdx_nobody" does not exist; give the client's credentials through PGUSER and PGPASSWORD or ~/.pgpass\n`,
		);
		const checked = cdx(setup, ["channel-db", "test", "STORE1"], refused);
		t.is(checked.status, 1);
		t.regex(
			checked.stdout,
			/✗ Channel database: .*role "cdx_nobody" does not exist\n {2}fix: give the client's credentials/,
		);
	},
);

postgresTest(
	"a table whose column the point of sale typed otherwise: the package fails naming table, column and row, and nothing of it is written",
	async (t) => {
		const setup = await appliedOnPostgres(t);
		await asSuperuser(
			(admin) =>
				admin.query(
					'CREATE TABLE "STOCK" ("key" text PRIMARY KEY, "quantity" text)',
				),
			databaseOf(setup),
		);
		await createPackage(setup, {
			PRICES: [{ key: "A", price: 9 }],
			STOCK: [{ key: "A", quantity: 5 }],
		});
		const client = startClient(setup, "STORE1");
		const download = await runNow(setup, "STORE1", "download");
		t.is((await stopClient(client)).code, 0);
		t.is(download.status, "Failed");
		t.regex(
			download.message ?? "",
			/table STOCK, column quantity, row 1: 5 must be text \(the column is text\)/,
		);
		const prices = cdx(setup, [
			"channel-db",
			"query",
			"STORE1",
			"SELECT price FROM \"PRICES\" WHERE key = 'A'",
			"--json",
		]);
		t.deepEqual(
			JSON.parse(prices.stdout),
			[{ price: 1.5 }],
			"PRICES unchanged",
		);
	},
);
