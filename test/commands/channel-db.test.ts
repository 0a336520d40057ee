import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { decryptSecret } from "../../source/store/secrets.js";
import {
	buildCdxIfMissing,
	type CdxOptions,
	type CdxRun,
	runCdx,
} from "../helpers/cdx.js";
import {
	channelPassword,
	makeChannelIntegration,
} from "../helpers/channel-integration.js";
import {
	assertOneLineError,
	assertSucceeded,
	assertUnchanged,
} from "../helpers/cli-assertions.js";
import { readDatabase } from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

const newPassword = "N3w pass-phrase";

function channelDb(
	db: string,
	args: string[],
	options: CdxOptions = {},
): CdxRun {
	return runCdx(["channel-db", ...args, "--db", db], options);
}

/** The arguments of `channel-db add STORE-9` with its links and user `user`; each test gives the password its own way. */
const addStore9As = (user: string) => [
	"add",
	"STORE-9",
	"--data-group",
	"STORES",
	"--profile",
	"STORE-DEFAULT",
	"--user",
	user,
];

/** `channel-db add STORE-9` with every link given (in other case than the records'), password from stdin. */
function addStore9(db: string, extra: string[] = [], options: CdxOptions = {}) {
	return channelDb(
		db,
		[
			"add",
			"STORE-9",
			"--data-group",
			"stores",
			"--profile",
			"store-default",
			"--user",
			"sync-9",
			"--password-stdin",
			...extra,
		],
		{ input: `${newPassword}\n`, ...options },
	);
}

/** Nothing the program printed, nor the file, holds the password in plain text. */
async function assertPasswordNowhere(
	t: ExecutionContext,
	db: string,
	runs: CdxRun[],
	password = newPassword,
) {
	for (const run of runs) {
		t.false(run.stdout.includes(password), "not on stdout");
		t.false(run.stderr.includes(password), "not on stderr");
	}
	t.false((await readFile(db, "utf8")).includes(password), "not in db.json");
}

async function storedPassword(db: string, name: string): Promise<string> {
	const database = (await readDatabase(db)).channelDatabases.find(
		(candidate) => candidate.name === name,
	);
	if (!database) throw new Error(`no channel database ${name}`);
	return decryptSecret(db, database.passwordSecret);
}

test("channel-db add with --password-stdin stores the database, links by name and the password encrypted", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = addStore9(db, [
		"--channel",
		"S-9",
		"--channel",
		"S-10",
		"--server",
		"sql9.example",
		"--database",
		"ChannelStore9",
		"--spread-load",
		"yes",
	]);
	assertSucceeded(t, run);
	t.is(run.stdout, 'Added channel database "STORE-9"\n');
	const saved = await readDatabase(db);
	const database = saved.channelDatabases.find(
		(candidate) => candidate.name === "STORE-9",
	);
	t.like(database, {
		dataGroupId: saved.dataGroups[0]?.id,
		profileId: saved.profiles[0]?.id,
		userName: "sync-9",
		channels: ["S-9", "S-10"],
		serverName: "sql9.example",
		databaseName: "ChannelStore9",
		spreadLoad: true,
		version: 1,
	});
	t.regex(database?.passwordSecret ?? "", /^aes-256-gcm:/);
	t.is(await storedPassword(db, "STORE-9"), newPassword);
	await assertPasswordNowhere(t, db, [run]);
});

test("channel-db add takes the password from $CDX_PASSWORD", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = channelDb(db, addStore9As("sync-9"), {
		env: { CDX_PASSWORD: newPassword },
	});
	assertSucceeded(t, run);
	t.is(await storedPassword(db, "STORE-9"), newPassword);
	await assertPasswordNowhere(t, db, [run]);
});

test("--password is refused with the reason, without echoing the password, and nothing changes", async (t) => {
	const { db } = await makeChannelIntegration();
	for (const password of [
		["--password", newPassword],
		[`--password=${newPassword}`],
	]) {
		const run = await assertUnchanged(t, db, () =>
			channelDb(db, [...addStore9As("sync-9"), ...password]),
		);
		assertOneLineError(
			t,
			run,
			2,
			/^cdx: --password is refused: a password given as an argument shows in the process list and the shell history; use --password-stdin or \$CDX_PASSWORD\n$/,
		);
		await assertPasswordNowhere(t, db, [run]);
	}
});

test("channel-db add without a password exits 2 naming the field", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		addStore9(db, [], { input: "" }),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: --password-stdin: standard input gave no password/,
	);
	const withoutAny = await assertUnchanged(t, db, () =>
		channelDb(db, addStore9As("sync-9")),
	);
	assertOneLineError(t, withoutAny, 2, /^cdx: Password: required\n$/);
});

test("--password-stdin reads only the first line, without its line ending", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = addStore9(db, [], { input: `${newPassword}\r\nsecond line\n` });
	assertSucceeded(t, run);
	t.is(await storedPassword(db, "STORE-9"), newPassword);
});

test("a user name another channel database has exits 2; the same name in other case is another user", async (t) => {
	const { db } = await makeChannelIntegration();
	const taken = await assertUnchanged(t, db, () =>
		channelDb(db, addStore9As("sync-1"), {
			env: { CDX_PASSWORD: newPassword },
		}),
	);
	assertOneLineError(
		t,
		taken,
		2,
		/^cdx: User name: another channel database already uses "sync-1"\n$/,
	);
	const otherCase = channelDb(db, addStore9As("SYNC-1"), {
		env: { CDX_PASSWORD: newPassword },
	});
	assertSucceeded(t, otherCase);
});

test("a data group or profile that does not exist exits 2 naming the field", async (t) => {
	const { db } = await makeChannelIntegration();
	const noGroup = await assertUnchanged(t, db, () =>
		addStore9(db, ["--data-group", "NOPE"]),
	);
	assertOneLineError(
		t,
		noGroup,
		2,
		/^cdx: Channel data group: no channel data group is called "NOPE"\n$/,
	);
	const noProfile = await assertUnchanged(t, db, () =>
		addStore9(db, ["--profile", "NOPE"]),
	);
	assertOneLineError(
		t,
		noProfile,
		2,
		/^cdx: Async Server profile: no Async Server profile is called "NOPE"\n$/,
	);
});

test("a channel listed twice or a bad channel ID exits 2 naming the field", async (t) => {
	const { db } = await makeChannelIntegration();
	const twice = await assertUnchanged(t, db, () =>
		addStore9(db, ["--channel", "S-1", "--channel", "s-1"]),
	);
	assertOneLineError(
		t,
		twice,
		2,
		/^cdx: Retail channels: lists "s-1" twice\n$/,
	);
	const bad = await assertUnchanged(t, db, () =>
		addStore9(db, ["--channel", "S 1"]),
	);
	assertOneLineError(
		t,
		bad,
		2,
		/^cdx: Retail channels: must be 1 to 20 characters/,
	);
});

test("--spread-load takes yes or no and refuses anything else", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		addStore9(db, ["--spread-load", "maybe"]),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Spread load across the interval: must be one of No, Yes \(got "maybe"\)\n$/,
	);
	assertSucceeded(t, channelDb(db, ["set", "STORE-1", "--spread-load", "YES"]));
	t.true((await readDatabase(db)).channelDatabases[0]?.spreadLoad);
});

test("channel-db list prints a table with links by name", async (t) => {
	const { db } = await makeChannelIntegration({ channelDatabases: 2 });
	const run = channelDb(db, ["list"]);
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		[
			"ID       DATA GROUP  PROFILE        USER NAME  CHANNELS",
			"STORE-1  STORES      STORE-DEFAULT  sync-1     C-1",
			"STORE-2  STORES      STORE-DEFAULT  sync-2     C-2",
			"",
		].join("\n"),
	);
});

test("channel-db show prints every field but the password", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = channelDb(db, ["show", "store-1"]);
	assertSucceeded(t, run);
	const data = await channelDataFolder(db);
	t.is(
		run.stdout,
		[
			"Channel database ID: STORE-1",
			"Channel data group: STORES",
			"User name: sync-1",
			"Async Server profile: STORE-DEFAULT",
			"Retail channels: C-1",
			"Retail Server: server: sql.example",
			"Retail Server: database: Channel1",
			"Spread load across the interval: No",
			"Full data sync requested: no",
			// A Retail Server named: the data is in PostgreSQL there (shown without connecting).
			"Channel database store: postgresql postgresql://sql.example:5432/Channel1",
			`Outbox folder: ${join(data, "outbox")}`,
			"",
		].join("\n"),
	);
	await assertPasswordNowhere(t, db, [run], channelPassword);
});

test("channel-db show --json and list --json print exactly the documented fields, never the password", async (t) => {
	const { db } = await makeChannelIntegration();
	const expected = {
		name: "STORE-1",
		dataGroup: "STORES",
		userName: "sync-1",
		profile: "STORE-DEFAULT",
		channels: ["C-1"],
		serverName: "sql.example",
		databaseName: "Channel1",
		spreadLoad: false,
		fullSyncRequestedAt: null,
	};
	const shown = channelDb(db, ["show", "STORE-1", "--json"]);
	assertSucceeded(t, shown);
	const data = await channelDataFolder(db);
	t.deepEqual(JSON.parse(shown.stdout), {
		...expected,
		store: {
			engine: "postgresql",
			location: "postgresql://sql.example:5432/Channel1",
			outbox: join(data, "outbox"),
		},
	});
	const listed = channelDb(db, ["list", "--json"]);
	t.deepEqual(JSON.parse(listed.stdout), [expected]);
	for (const run of [shown, listed]) {
		t.false(run.stdout.includes("passwordSecret"));
		t.false(run.stdout.includes("aes-256-gcm"));
	}
	await assertPasswordNowhere(t, db, [shown, listed], channelPassword);
});

test("channel-db set without a password keeps the stored one", async (t) => {
	const { db } = await makeChannelIntegration();
	const before = (await readDatabase(db)).channelDatabases[0]?.passwordSecret;
	const run = channelDb(db, [
		"set",
		"STORE-1",
		"--profile",
		"STORE-DEFAULT",
		"--channel",
		"C-1",
		"--channel",
		"C-2",
	]);
	assertSucceeded(t, run);
	t.is(run.stdout, 'Saved channel database "STORE-1"\n');
	const database = (await readDatabase(db)).channelDatabases[0];
	t.is(database?.passwordSecret, before);
	t.deepEqual(database?.channels, ["C-1", "C-2"]);
	t.is(database?.version, 2);
});

test("channel-db set --password-stdin changes the password", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = channelDb(db, ["set", "STORE-1", "--password-stdin"], {
		input: `${newPassword}\n`,
	});
	assertSucceeded(t, run);
	t.is(await storedPassword(db, "STORE-1"), newPassword);
	await assertPasswordNowhere(t, db, [run]);
});

test("channel-db set --json prints the saved record without the password", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = channelDb(
		db,
		["set", "STORE-1", "--server", "sql2.example", "--json"],
		{
			env: { CDX_PASSWORD: newPassword },
		},
	);
	assertSucceeded(t, run);
	t.like(JSON.parse(run.stdout), {
		name: "STORE-1",
		serverName: "sql2.example",
	});
	t.false("password" in JSON.parse(run.stdout));
	await assertPasswordNowhere(t, db, [run]);
});

test("channel-db full-sync marks the database for a full download and shows when", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = channelDb(db, ["full-sync", "store-1"]);
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		'Full data sync requested for channel database "STORE-1": its client takes all data again on its next download\n',
	);
	const database = (await readDatabase(db)).channelDatabases[0];
	t.truthy(database?.fullSyncRequestedAt);
	t.is(database?.version, 2);
	const shown = JSON.parse(channelDb(db, ["show", "STORE-1", "--json"]).stdout);
	t.is(shown.fullSyncRequestedAt, database?.fullSyncRequestedAt);
});

test("channel-db full-sync of an unknown database exits 2 naming it", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		channelDb(db, ["full-sync", "NOPE"]),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Channel database "NOPE" not found \(see cdx channel-db list\)\n$/,
	);
});

test("channel-db delete removes the database; then its profile can be deleted", async (t) => {
	const { db } = await makeChannelIntegration();
	const inUse = await assertUnchanged(t, db, () =>
		runCdx(["profile", "delete", "STORE-DEFAULT", "--db", db]),
	);
	assertOneLineError(
		t,
		inUse,
		2,
		/^cdx: Async Server profile "STORE-DEFAULT" is used by channel database STORE-1; change those first\n$/,
	);
	const run = channelDb(db, ["delete", "STORE-1"]);
	assertSucceeded(t, run);
	t.is(run.stdout, 'Deleted channel database "STORE-1"\n');
	assertSucceeded(
		t,
		runCdx(["profile", "delete", "STORE-DEFAULT", "--db", db]),
	);
});

test("--password-stdin on a command that does not save exits 2", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		channelDb(db, ["show", "STORE-1", "--password-stdin"]),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: --password-stdin is for add and set only/,
	);
});

/** Where the embedded channel database of the only channel database lives: named by its record id. */
async function channelDataFolder(db: string): Promise<string> {
	const [record] = (await readDatabase(db)).channelDatabases;
	if (record === undefined) throw new Error("no channel database");
	return join(dirname(db), "channels", record.id);
}
