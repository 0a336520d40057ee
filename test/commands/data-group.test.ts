import test from "ava";
import { buildCdxIfMissing, type CdxRun, runCdx } from "../helpers/cdx.js";
import { makeChannelIntegration } from "../helpers/channel-integration.js";
import {
	assertOneLineError,
	assertShown,
	assertSucceeded,
	assertUnchanged,
} from "../helpers/cli-assertions.js";
import { makeTempDatabase, readDatabase } from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

function dataGroup(db: string, ...args: string[]): CdxRun {
	return runCdx(["data-group", ...args, "--db", db]);
}

test("data-group add links working folders by name, ignoring case", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = dataGroup(
		db,
		"add",
		"OUTLETS",
		"--working-folders",
		"main",
		"--description",
		"Outlet stores",
	);
	assertSucceeded(t, run);
	t.is(run.stdout, 'Added channel data group "OUTLETS"\n');
	const saved = await readDatabase(db);
	const outlets = saved.dataGroups.find((group) => group.name === "OUTLETS");
	t.is(outlets?.workingFoldersId, saved.workingFolders[0]?.id, "stored by id");
	t.is(outlets?.schema, "AX 2012 R3", "the first schema by default");
});

test("--schema takes a Retail channel schema in any case and stores it as listed", async (t) => {
	const { db } = await makeChannelIntegration();
	assertSucceeded(
		t,
		dataGroup(
			db,
			"add",
			"LEGACY",
			"--working-folders",
			"MAIN",
			"--schema",
			"ax 2009",
		),
	);
	const shown = dataGroup(db, "show", "LEGACY", "--json");
	t.is(JSON.parse(shown.stdout).schema, "AX 2009");
});

test("an unknown schema exits 2 listing the schemas", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		dataGroup(db, "add", "X", "--working-folders", "MAIN", "--schema", "AX 7"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Retail channel schema: must be one of AX 2012 R3, AX 2012 R3 Online store, AX 2012 R2, AX 2012 Feature Pack, AX 2009 \(got "AX 7"\)\n$/,
	);
});

test("working folders that do not exist exit 2 naming the field and the name", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		dataGroup(db, "add", "X", "--working-folders", "NOPE"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Working folders: no working folders set is called "NOPE"\n$/,
	);
});

test("before any working folders exist, data-group add says to create them first", async (t) => {
	const db = await makeTempDatabase();
	const run = await assertUnchanged(t, db, () =>
		dataGroup(db, "add", "X", "--working-folders", "MAIN"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Working folders: no working folders set exists yet; create one first/,
	);
});

test("a missing --working-folders exits 2 saying it is required", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () => dataGroup(db, "add", "X"));
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Working folders: required: the name of an existing working folders set\n$/,
	);
});

test("a name another group has, in other case, exits 2", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		dataGroup(db, "add", "stores", "--working-folders", "MAIN"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Name: another channel data group is already called "STORES"/,
	);
});

test("data-group list prints a table with the working folders by name", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = dataGroup(db, "list");
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		[
			"NAME    SCHEMA      WORKING FOLDERS  DESCRIPTION",
			"STORES  AX 2012 R3  MAIN             All stores",
			"",
		].join("\n"),
	);
});

test("data-group show lists, read-only, the channel databases in the group", async (t) => {
	const { db } = await makeChannelIntegration({ channelDatabases: 2 });
	const run = dataGroup(db, "show", "stores");
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		[
			"Name: STORES",
			"Description: All stores",
			"Retail channel schema: AX 2012 R3",
			"Working folders: MAIN",
			"Channel databases: STORE-1, STORE-2",
			"",
		].join("\n"),
	);
});

test("data-group show --json and list --json print exactly the form's fields, links by name", async (t) => {
	const { db } = await makeChannelIntegration();
	const expected = {
		name: "STORES",
		description: "All stores",
		schema: "AX 2012 R3",
		workingFolders: "MAIN",
	};
	const shown = dataGroup(db, "show", "STORES", "--json");
	assertSucceeded(t, shown);
	t.deepEqual(JSON.parse(shown.stdout), expected);
	const listed = dataGroup(db, "list", "--json");
	t.deepEqual(JSON.parse(listed.stdout), [expected]);
});

test("data-group set points the group at other working folders", async (t) => {
	const { db, root } = await makeChannelIntegration();
	assertSucceeded(
		t,
		runCdx([
			"working-folders",
			"add",
			"SECOND",
			"--download-path",
			`${root}/second/down`,
			"--upload-path",
			`${root}/second/up`,
			"--create",
			"--db",
			db,
		]),
	);
	const run = dataGroup(db, "set", "STORES", "--working-folders", "second");
	assertSucceeded(t, run);
	t.is(run.stdout, 'Saved channel data group "STORES"\n');
	t.is(
		JSON.parse(dataGroup(db, "show", "STORES", "--json").stdout).workingFolders,
		"SECOND",
	);
	t.is((await readDatabase(db)).dataGroups[0]?.version, 2);
});

test("renaming a data group keeps its channel databases in it", async (t) => {
	const { db } = await makeChannelIntegration();
	assertSucceeded(t, dataGroup(db, "set", "STORES", "--name", "ALL-STORES"));
	t.is(assertShown(t, db, "channel-db", "STORE-1").dataGroup, "ALL-STORES");
});

test("deleting a data group with channel databases exits 2 listing them", async (t) => {
	const { db } = await makeChannelIntegration({ channelDatabases: 2 });
	const run = await assertUnchanged(t, db, () =>
		dataGroup(db, "delete", "STORES"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Channel data group "STORES" is used by channel database STORE-1, channel database STORE-2; change those first\n$/,
	);
});

test("data-group delete removes an empty group", async (t) => {
	const { db } = await makeChannelIntegration({ channelDatabases: 0 });
	const run = dataGroup(db, "delete", "STORES");
	assertSucceeded(t, run);
	t.is(run.stdout, 'Deleted channel data group "STORES"\n');
	t.deepEqual((await readDatabase(db)).dataGroups, []);
});

test("data-group add without NAME exits 2", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () => dataGroup(db, "add"));
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: cdx data-group add needs the channel data group's NAME \(see cdx data-group --help\)\n$/,
	);
});
