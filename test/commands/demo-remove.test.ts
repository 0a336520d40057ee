import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import test from "ava";
import { addDemo } from "../../source/commands/demo-store.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { runCdx } from "../helpers/cdx.js";
import {
	assertOneLineError,
	assertSucceeded,
	assertUnchanged,
} from "../helpers/cli-assertions.js";
import { makeTempDatabasePath, readDatabase } from "../helpers/database.js";
import {
	addOperatorProfile,
	demo,
	names,
	newDemo,
	tree,
} from "../helpers/demo.js";
import { waitUntil } from "../helpers/wait.js";

test("cdx demo --remove takes back what the demo added and leaves the operator's records and files", async (t) => {
	const { db, folder } = await newDemo(t);
	addOperatorProfile(t, db, "MINE");
	const planted = join(folder, "download", "DEMO-GROUP", "my-notes.txt");
	await writeFile(planted, "not the demo's\n");
	const removed = demo(db, "--remove");
	assertSucceeded(t, removed);
	t.regex(
		removed.stdout,
		/^Removed the demo from .*: Channel database DEMO-STORE-1, Channel database DEMO-STORE-2, Channel data group DEMO-GROUP, Working folders DEMO-FOLDERS, Async Server profile DEMO-EVERY-MINUTE, Async Server profile DEMO-CRON; 5 files it and its clients wrote\.\n/,
	);
	t.true(removed.stdout.includes(`Left, as not the demo's: ${planted}.`));
	t.deepEqual(names(db, "profile"), ["MINE"]);
	t.deepEqual(names(db, "channel-db"), []);
	t.deepEqual(await tree(folder), [
		"download",
		join("download", "DEMO-GROUP"),
		join("download", "DEMO-GROUP", "my-notes.txt"),
	]);
});

test("cdx demo --remove refuses, removing nothing, when a demo record was changed or an operator's record uses one", async (t) => {
	const { db, folder } = await newDemo(t);
	const before = await tree(folder);
	assertSucceeded(
		t,
		runCdx([
			"profile",
			"set",
			"DEMO-CRON",
			"--description",
			"mine now",
			"--db",
			db,
		]),
	);
	const changed = await assertUnchanged(t, db, () => demo(db, "--remove"));
	assertOneLineError(
		t,
		changed,
		2,
		/Async Server profile "DEMO-CRON" was changed after the demo added it, so it is yours now; nothing was removed/,
	);
	t.deepEqual(await tree(folder), before);

	const other = await newDemo(t);
	const used = runCdx(
		[
			"channel-db",
			"add",
			"MY-STORE",
			"--data-group",
			"DEMO-GROUP",
			"--profile",
			"DEMO-CRON",
			"--user",
			"mine",
			"--password-stdin",
			"--db",
			other.db,
		],
		{ input: "secret\n" },
	);
	assertSucceeded(t, used);
	const refused = await assertUnchanged(t, other.db, () =>
		demo(other.db, "--remove"),
	);
	assertOneLineError(
		t,
		refused,
		2,
		/is used by .*MY-STORE.*nothing was removed/,
	);
});

test("cdx demo --remove refuses a folder without a demo, and a manifest it did not write", async (t) => {
	const db = await makeTempDatabasePath();
	assertSucceeded(t, runCdx(["profile", "list", "--db", db]));
	const none = await assertUnchanged(t, db, () => demo(db, "--remove"));
	assertOneLineError(
		t,
		none,
		2,
		/demo: no demo here \(no cdx-demo\.json\); nothing was removed/,
	);

	const folder = join(dirname(db), "demo");
	await mkdir(folder);
	await writeFile(join(folder, "cdx-demo.json"), '{"format":"something else"}');
	const foreign = await assertUnchanged(t, db, () => demo(db, "--remove"));
	assertOneLineError(
		t,
		foreign,
		2,
		/cdx-demo\.json: not a demo manifest this cdx wrote; nothing was removed/,
	);
	const again = await assertUnchanged(t, db, () => demo(db));
	assertOneLineError(
		t,
		again,
		2,
		/cdx-demo\.json: not a demo manifest this cdx wrote/,
	);
});

test("cdx demo --remove never follows a link planted in the demo folder", async (t) => {
	const { db, folder } = await newDemo(t);
	const outside = join(dirname(db), "outside.json");
	await writeFile(outside, "keep me\n");
	await symlink(outside, join(folder, "DEMO-STORE-1.log"));
	// A link where a demo database's channel data folder goes, to a folder holding what a client would write.
	const elsewhere = join(dirname(db), "elsewhere");
	await mkdir(elsewhere);
	await writeFile(
		join(elsewhere, "channel-database.sqlite"),
		"not the demo's\n",
	);
	const id = (await readDatabase(db)).channelDatabases.find(
		(record) => record.name === "DEMO-STORE-2",
	)?.id as string;
	await mkdir(join(dirname(db), "channels"));
	await symlink(elsewhere, join(dirname(db), "channels", id));
	const removed = demo(db, "--remove");
	assertSucceeded(t, removed);
	t.is(await readFile(outside, "utf8"), "keep me\n");
	t.true(existsSync(join(folder, "DEMO-STORE-1.log")));
	t.is(
		await readFile(join(elsewhere, "channel-database.sqlite"), "utf8"),
		"not the demo's\n",
	);
	t.regex(removed.stdout, /Left, as not the demo's: .*DEMO-STORE-1\.log/);
});

test("a demo cut short is not built on: cdx demo says so, and --remove takes back what its manifest lists", async (t) => {
	const { db, folder } = await newDemo(t);
	const manifest = join(folder, "cdx-demo.json");
	const written = JSON.parse(await readFile(manifest, "utf8")) as {
		complete: boolean;
	};
	await writeFile(manifest, JSON.stringify({ ...written, complete: false }));
	const again = await assertUnchanged(t, db, () => demo(db));
	assertOneLineError(
		t,
		again,
		2,
		/an earlier cdx demo did not finish \(or is still building it\); cdx demo --remove .* takes back what it added/,
	);
	assertSucceeded(t, demo(db, "--remove"));
	t.false(existsSync(folder));
	t.deepEqual(names(db, "profile"), []);
});

test("a demo that dies as a record's save returns, before it notes anything more, is taken back whole by --remove", async (t) => {
	const db = await makeTempDatabasePath();
	const folder = join(dirname(db), "demo");
	const store = await ConfigurationStore.open(db);
	// The third save lands in db.json, and the process is gone before its next step.
	const add = store.save.bind(store);
	let saves = 0;
	store.save = (async (...args: Parameters<typeof add>) => {
		const saved = await add(...args);
		saves += 1;
		return saves === 3 ? new Promise<never>(() => {}) : saved;
	}) as typeof store.save;
	void addDemo({ store, folder, now: new Date() });
	await waitUntil(
		async () => (await readDatabase(db)).workingFolders.length === 1,
		"the third record in db.json",
	);
	const removed = demo(db, "--remove");
	assertSucceeded(t, removed);
	t.regex(
		removed.stdout,
		/: Working folders DEMO-FOLDERS, Async Server profile DEMO-EVERY-MINUTE, Async Server profile DEMO-CRON; /,
	);
	t.deepEqual(names(db, "profile"), []);
	t.deepEqual(names(db, "working-folders"), []);
	t.false(existsSync(folder));
	assertSucceeded(t, demo(db));
});

test("cdx demo --remove takes the temporary files and the lock a killed cdx demo left in its folder, not those of a writer still running", async (t) => {
	const { db, folder } = await newDemo(t);
	const gone = spawnSync("true").pid;
	const group = join(folder, "download", "DEMO-GROUP");
	const left = [
		join(folder, `.cdx-demo.json.${gone}.0a1b2c3d.tmp`),
		join(group, `.0000000004.package.json.${gone}.0a1b2c3d.tmp`),
		join(group, `.sequence.json.${gone}.0a1b2c3d.tmp`),
		join(group, "sequence.json.lock", `.sequence.json.${gone}.0a1b2c3d.tmp`),
		// Killed as it put the lock in place.
		join(
			group,
			`sequence.json.lock.new-${gone}-0a1b2c3d`,
			`.sequence.json.${gone}.0a1b2c3e.tmp`,
		),
	];
	await mkdir(join(group, "sequence.json.lock"));
	await mkdir(join(group, `sequence.json.lock.new-${gone}-0a1b2c3d`));
	for (const path of left) await writeFile(path, "{");
	// Named as a temporary file, but its writer runs: it will finish or remove it.
	const running = join(group, `.sequence.json.${process.pid}.0a1b2c3d.tmp`);
	await writeFile(running, "{");
	const removed = demo(db, "--remove");
	assertSucceeded(t, removed);
	t.true(removed.stdout.includes(`Left, as not the demo's: ${running}.`));
	t.deepEqual(await tree(folder), [
		"download",
		join("download", "DEMO-GROUP"),
		join("download", "DEMO-GROUP", basename(running)),
	]);
});

test("a demo killed before its manifest was in place left only that manifest's temporary file: cdx demo takes the folder as empty and clears it", async (t) => {
	const db = await makeTempDatabasePath();
	const folder = join(dirname(db), "demo");
	await mkdir(folder);
	const left = `.cdx-demo.json.${spawnSync("true").pid}.0a1b2c3d.tmp`;
	await writeFile(join(folder, left), '{"format":"cdx-de');
	assertSucceeded(t, demo(db));
	t.false(existsSync(join(folder, left)));
	t.true(existsSync(join(folder, "cdx-demo.json")));
});

test("cdx demo --remove after a demo killed before its manifest was in place takes that manifest's temporary file and says so", async (t) => {
	const db = await makeTempDatabasePath();
	assertSucceeded(t, runCdx(["profile", "list", "--db", db]));
	const folder = join(dirname(db), "demo");
	await mkdir(folder);
	const left = `.cdx-demo.json.${spawnSync("true").pid}.0a1b2c3d.tmp`;
	await writeFile(join(folder, left), '{"format":"cdx-de');
	const removed = demo(db, "--remove");
	assertSucceeded(t, removed);
	t.regex(removed.stdout, /: no records .*; 1 file it and its clients wrote\./);
	t.deepEqual(await tree(folder), []);
	// Nothing left to take back: said so, as for a folder that never held a demo.
	const again = demo(db, "--remove");
	t.is(again.status, 2);
	t.regex(
		again.stderr,
		/no demo here \(no cdx-demo\.json\); nothing was removed/,
	);
});
