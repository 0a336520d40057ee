import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import type { RunSummary } from "../../source/domain/client-state.js";
import { runCdx, runCdxAsync } from "../helpers/cdx.js";
import {
	assertOneLineError,
	assertSucceeded,
	assertUnchanged,
} from "../helpers/cli-assertions.js";
import {
	readSessions,
	runNow,
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import type { ClientSetup } from "../helpers/client-setup.js";
import { makeTempDatabasePath, readDatabase } from "../helpers/database.js";
import {
	addOperatorProfile,
	demo,
	names,
	newDemo,
	tree,
} from "../helpers/demo.js";

startsClientProcesses(test);

test("cdx demo adds a whole store and says what it added and how to start its clients", async (t) => {
	const { db, folder, run } = await newDemo(t);
	t.deepEqual(names(db, "profile"), ["DEMO-CRON", "DEMO-EVERY-MINUTE"]);
	t.deepEqual(names(db, "working-folders"), ["DEMO-FOLDERS"]);
	t.deepEqual(names(db, "data-group"), ["DEMO-GROUP"]);
	t.deepEqual(names(db, "channel-db"), ["DEMO-STORE-1", "DEMO-STORE-2"]);
	const profiles = runCdx(["profile", "list", "--db", db]).stdout;
	t.regex(profiles, /DEMO-CRON .*cron \*\/2 \* \* \* \* \(UTC\)/);
	t.regex(profiles, /DEMO-EVERY-MINUTE .*every 1 min/);

	const packages = JSON.parse(
		runCdx(["package", "list", "--json", "--db", db]).stdout,
	) as { sequence: number; file: string }[];
	t.deepEqual(
		packages.map((listed) => listed.sequence),
		[1, 2, 3],
	);
	t.true(
		packages.every((listed) =>
			listed.file.startsWith(join(folder, "download", "DEMO-GROUP")),
		),
	);

	t.regex(run.stdout, new RegExp(`^Demo store added to ${db}:`));
	t.regex(
		run.stdout,
		/3 signed packages in .*sequence 1: PRODUCTS, 3 rows; sequence 2: PRICES, 3 rows; sequence 3: PRICES, 1 row\n/,
	);
	for (const database of ["DEMO-STORE-1", "DEMO-STORE-2"])
		t.true(
			run.stdout.includes(
				`  npx cdx client --channel-db ${database} --db ${db} --log ${join(folder, `${database}.log`)}\n`,
			),
		);
	t.true(
		run.stdout.includes(`Remove it all: npx cdx demo --remove --db ${db}\n`),
	);
	const outbox = (
		JSON.parse(
			runCdx(["channel-db", "show", "DEMO-STORE-1", "--json", "--db", db])
				.stdout,
		) as { store: { outbox: string; engine: string } }
	).store;
	t.is(outbox.engine, "sqlite");
	t.true(run.stdout.includes(`outbox: ${outbox.outbox}\n`));
});

test("a second cdx demo changes nothing and says the demo is there", async (t) => {
	const { db, folder } = await newDemo(t);
	const before = await tree(folder);
	const again = await assertUnchanged(t, db, () => demo(db));
	assertSucceeded(t, again);
	t.regex(
		again.stdout,
		/^The demo is there already \(.*\); nothing was changed\.\n/,
	);
	t.deepEqual(await tree(folder), before);
	t.is(names(db, "channel-db").length, 2);
});

test("cdx demo refuses a folder that is not empty, naming it, and adds nothing", async (t) => {
	const db = await makeTempDatabasePath();
	assertSucceeded(t, runCdx(["profile", "list", "--db", db]));
	const folder = join(dirname(db), "mine");
	await mkdir(folder);
	await writeFile(join(folder, "notes.txt"), "mine\n");
	const run = await assertUnchanged(t, db, () => demo(db, "--folder", folder));
	assertOneLineError(t, run, 2, /mine: exists and is not empty/);
	const fresh = join(dirname(db), "fresh", "db.json");
	assertOneLineError(
		t,
		demo(fresh, "--folder", folder),
		2,
		/mine: exists and is not empty/,
	);
	t.false(existsSync(dirname(fresh)));
	t.deepEqual(await tree(folder), ["notes.txt"]);
});

test("cdx demo refuses when one of its names is taken by an operator's record, and adds nothing", async (t) => {
	const db = await makeTempDatabasePath();
	addOperatorProfile(t, db, "demo-cron");
	const run = await assertUnchanged(t, db, () => demo(db));
	assertOneLineError(
		t,
		run,
		2,
		/Async Server profile "DEMO-CRON" exists already, not from a demo in .*demo \(from a demo in another folder, or your own\): nothing was added/,
	);
	t.false(existsSync(join(dirname(db), "demo")));
});

test("cdx demo --folder '', --db '' and an unknown argument are refused in one line, creating nothing", async (t) => {
	const db = await makeTempDatabasePath();
	assertOneLineError(
		t,
		runCdx(["demo", "--db", ""]),
		2,
		/--db needs the path of a database file/,
	);
	assertOneLineError(
		t,
		demo(db, "--remove"),
		2,
		/db\.json: no configuration database here/,
	);
	assertOneLineError(
		t,
		demo(db, "--folder", ""),
		2,
		/--folder needs the path of a folder/,
	);
	assertOneLineError(t, demo(db, "extra"), 2, /unexpected argument "extra"/);
	t.deepEqual(await tree(dirname(db)), []);
});

test("a client started on the demo store applies its packages, and uploads a row a point of sale drops in its outbox", async (t) => {
	const { db, folder } = await newDemo(t);
	// The helpers read only the database path of a set-up.
	const setup = { db } as ClientSetup;
	const { client, idle } = await startIdleClient(t, setup, "DEMO-STORE-1", [
		"--log",
		join(folder, "DEMO-STORE-1.log"),
	]);
	t.like(idle.lastDownload, { status: "Succeeded", packages: 3, rows: 7 });
	const prices = () =>
		JSON.parse(
			runCdx([
				"channel-db",
				"query",
				"DEMO-STORE-1",
				"SELECT key, price FROM PRICES ORDER BY key",
				"--json",
				"--db",
				db,
			]).stdout,
		);
	t.deepEqual(prices(), [
		{ key: "P-100", price: 11.9 },
		{ key: "P-200", price: 4 },
		{ key: "P-300", price: 1.2 },
	]);
	// DEMO-EVERY-MINUTE runs both ways every minute: a scheduled run may take
	// the new package or sale just before the run asked for, which then finds
	// nothing new. Either way it is sent once.
	const oneOrAlreadyDone = (run: RunSummary, what: string) =>
		t.true(
			(run.status === "Succeeded" && run.packages === 1 && run.rows === 1) ||
				run.status === "No data",
			`${what}: ${JSON.stringify(run)}`,
		);

	// Headquarters sends a new price, as the README's walkthrough does.
	const prices2 = join(dirname(db), "prices.json");
	await writeFile(
		prices2,
		JSON.stringify({ tables: { PRICES: [{ key: "P-200", price: 3.5 }] } }),
	);
	assertSucceeded(
		t,
		runCdx([
			"package",
			"create",
			"--data-group",
			"DEMO-GROUP",
			"--from",
			prices2,
			"--db",
			db,
		]),
	);
	oneOrAlreadyDone(
		await runNow(setup, "DEMO-STORE-1", "download"),
		"the download asked for",
	);
	t.deepEqual(prices()[1], { key: "P-200", price: 3.5 });
	t.deepEqual(
		(await readSessions(setup, "DEMO-STORE-1"))
			.filter(
				(session) =>
					session.direction === "download" && session.status === "Applied",
			)
			.map((session) => session.sequence),
		[1, 2, 3, 4],
		"every package applied, in order",
	);

	const { outbox } = (
		JSON.parse(
			runCdx(["channel-db", "show", "DEMO-STORE-1", "--json", "--db", db])
				.stdout,
		) as { store: { outbox: string } }
	).store;
	await mkdir(outbox, { recursive: true });
	await writeFile(
		join(outbox, ".sale-1.tmp"),
		JSON.stringify({ tables: { SALES: [{ key: "T-1", amount: 9.5 }] } }),
	);
	await rename(join(outbox, ".sale-1.tmp"), join(outbox, "0001-sale.json"));
	oneOrAlreadyDone(
		await runNow(setup, "DEMO-STORE-1", "upload"),
		"the upload asked for",
	);
	const uploaded = join(folder, "upload", "DEMO-STORE-1");
	t.deepEqual(
		(await readdir(uploaded)).filter((name) => name.endsWith(".package.json")),
		["0000000001.package.json"],
	);
	t.regex(
		await readFile(join(uploaded, "0000000001.package.json"), "utf8"),
		/"T-1"/,
	);
	t.is((await stopClient(client)).code, 0);
	t.regex(
		await readFile(join(folder, "DEMO-STORE-1.log"), "utf8"),
		/applied 0000000003\.package\.json/,
	);

	// What the client wrote, and a package signed only for the demo's databases, are the demo's too.
	assertSucceeded(t, demo(db, "--remove"));
	t.false(existsSync(folder));
	t.deepEqual((await readDatabase(db)).channelDatabases, []);
});

test("two cdx demo started at once build one demo: one adds it, the other adds nothing", async (t) => {
	const db = await makeTempDatabasePath();
	assertSucceeded(t, runCdx(["profile", "list", "--db", db]));
	const runs = await Promise.all([
		runCdxAsync(["demo", "--db", db]),
		runCdxAsync(["demo", "--db", db]),
	]);
	const added = runs.filter((run) => run.stdout.startsWith("Demo store added"));
	t.is(added.length, 1, runs.map((run) => run.stdout + run.stderr).join("\n"));
	const other = runs.find((run) => !run.stdout.startsWith("Demo store added"));
	t.log(other?.stdout, other?.stderr);
	// Depending on when it looked: the demo is there, or being built, or its names are taken.
	t.true(
		other?.status === 0
			? /there already/.test(other.stdout)
			: other?.status === 2,
		`${other?.stdout}${other?.stderr}`,
	);
	t.deepEqual(names(db, "channel-db"), ["DEMO-STORE-1", "DEMO-STORE-2"]);
	t.deepEqual(names(db, "profile"), ["DEMO-CRON", "DEMO-EVERY-MINUTE"]);
	const manifest = JSON.parse(
		await readFile(join(dirname(db), "demo", "cdx-demo.json"), "utf8"),
	) as { complete: boolean; records: unknown[] };
	t.true(manifest.complete);
	t.is(manifest.records.length, 6);
});
