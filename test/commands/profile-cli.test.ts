import { existsSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import packageJson from "../../package.json" with { type: "json" };
import { emptyConfiguration } from "../../source/domain/configuration.js";
import { buildCdxIfMissing, type CdxRun, runCdx } from "../helpers/cdx.js";
import { makeChannelIntegration } from "../helpers/channel-integration.js";
import { assertShown } from "../helpers/cli-assertions.js";
import {
	makeProfile,
	makeTempDatabase,
	makeTempDatabasePath,
	makeTempFolder,
	readBytes,
	readDatabase,
	writeTempDatabase,
} from "../helpers/database.js";
import { terminalControls } from "../helpers/terminal-text.js";

test.before(() => {
	buildCdxIfMissing();
});

const esc = "\u001B";
const bel = "\u0007";
const osc52 = `${esc}]52;c;SGVsbG8=${bel}`;

const storeDefault = makeProfile("STORE-DEFAULT", {
	description: "Stores: every 15 minutes down, 30 up",
	downloadIntervalMinutes: 15,
	uploadIntervalMinutes: 30,
});
const flagship = makeProfile("FLAGSHIP", {
	description: "Busy stores",
	downloadIntervalMinutes: 5,
	uploadIntervalMinutes: 10,
});

/** `cdx profile ARGS --db DB`. */
function profile(db: string, ...args: string[]): CdxRun {
	return runCdx(["profile", ...args, "--db", db]);
}

/** The run succeeded and printed nothing on stderr. */
function assertSucceeded(t: ExecutionContext, run: CdxRun) {
	t.is(run.status, 0, run.stderr);
	t.is(run.stderr, "");
}

/** The contract for errors: this exit code, and stderr is one line matching `pattern`. */
function assertOneLineError(
	t: ExecutionContext,
	run: CdxRun,
	status: number,
	pattern: RegExp,
) {
	t.is(run.status, status, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
	t.regex(run.stderr, /^cdx: [^\n]*\n$/, "stderr is one line");
	t.regex(run.stderr, pattern);
}

/** Runs `args` against a database holding `profiles` and proves the file did not change. */
async function assertRefusedUntouched(
	t: ExecutionContext,
	args: string[],
	pattern: RegExp,
	profiles = [storeDefault],
) {
	const db = await makeTempDatabase(profiles);
	const before = await readBytes(db);
	assertOneLineError(t, profile(db, ...args), 2, pattern);
	t.deepEqual(await readBytes(db), before, "db.json is byte-identical");
}

const jsonFields = [
	"description",
	"downloadCron",
	"downloadIntervalMinutes",
	"name",
	"timeZone",
	"uploadCron",
	"uploadIntervalMinutes",
];

/** What --json adds for a profile without cron schedules. */
const intervalOnly = { downloadCron: "", uploadCron: "", timeZone: "UTC" };

// Happy paths

test("profile add stores the profile and says so", async (t) => {
	const db = await makeTempDatabasePath();
	const run = profile(
		db,
		"add",
		"STORE-DEFAULT",
		"--download",
		"15",
		"--upload",
		"30",
		"--description",
		"Stores",
	);
	assertSucceeded(t, run);
	t.is(run.stdout, 'Added Async Server profile "STORE-DEFAULT"\n');
	t.like((await readDatabase(db)).profiles[0], {
		name: "STORE-DEFAULT",
		description: "Stores",
		downloadIntervalMinutes: 15,
		uploadIntervalMinutes: 30,
		version: 1,
	});
});

test("profile list prints a table of every profile, sorted by name", async (t) => {
	const db = await makeTempDatabase([storeDefault, flagship]);
	const run = profile(db, "list");
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		[
			"NAME           DOWNLOAD      UPLOAD        DESCRIPTION",
			"FLAGSHIP       every 5 min   every 10 min  Busy stores",
			"STORE-DEFAULT  every 15 min  every 30 min  Stores: every 15 minutes down, 30 up",
			"",
		].join("\n"),
	);
});

test("profile list shows a cron schedule as it runs, in its time zone, not the interval it replaces", async (t) => {
	const db = await makeTempDatabase([
		makeProfile("BERLIN", {
			downloadCron: "*/15 8-22 * * 1-6",
			timeZone: "Europe/Berlin",
		}),
	]);
	const run = profile(db, "list");
	assertSucceeded(t, run);
	t.regex(
		run.stdout,
		/BERLIN\s+cron \*\/15 8-22 \* \* 1-6 \(Europe\/Berlin\)\s+every 30 min/,
	);
});

test("profile list on an empty database prints only the header", async (t) => {
	const run = profile(await makeTempDatabase(), "list");
	assertSucceeded(t, run);
	t.is(run.stdout, "NAME  DOWNLOAD  UPLOAD  DESCRIPTION\n");
});

test("profile show prints each field under its ERP label", async (t) => {
	const db = await makeTempDatabase([storeDefault, flagship]);
	const run = profile(db, "show", "flagship");
	assertSucceeded(t, run);
	const lines = run.stdout.split("\n");
	for (const line of [
		"Name: FLAGSHIP",
		"Description: Busy stores",
		"Data download interval in minutes: 5",
		"Data upload interval in minutes: 10",
	])
		t.true(lines.includes(line), `shows ${JSON.stringify(line)}`);
});

test("profile set changes only the given interval and bumps the version", async (t) => {
	const db = await makeTempDatabase([storeDefault]);
	const run = profile(db, "set", "store-default", "--download", "60");
	assertSucceeded(t, run);
	t.is(run.stdout, 'Saved Async Server profile "STORE-DEFAULT"\n');
	t.like((await readDatabase(db)).profiles[0], {
		name: "STORE-DEFAULT",
		description: storeDefault.description,
		downloadIntervalMinutes: 60,
		uploadIntervalMinutes: 30,
		version: 2,
	});
});

test("profile delete removes the profile", async (t) => {
	const db = await makeTempDatabase([storeDefault, flagship]);
	const run = profile(db, "delete", "FLAGSHIP");
	assertSucceeded(t, run);
	t.is(run.stdout, 'Deleted Async Server profile "FLAGSHIP"\n');
	t.deepEqual(
		(await readDatabase(db)).profiles.map((record) => record.name),
		["STORE-DEFAULT"],
	);
});

test("profile list --json prints an array with exactly the form's fields", async (t) => {
	const db = await makeTempDatabase([storeDefault, flagship]);
	const run = profile(db, "list", "--json");
	assertSucceeded(t, run);
	const listed = JSON.parse(run.stdout) as Record<string, unknown>[];
	t.deepEqual(listed, [
		{
			name: "FLAGSHIP",
			description: "Busy stores",
			downloadIntervalMinutes: 5,
			uploadIntervalMinutes: 10,
			...intervalOnly,
		},
		{
			name: "STORE-DEFAULT",
			description: "Stores: every 15 minutes down, 30 up",
			downloadIntervalMinutes: 15,
			uploadIntervalMinutes: 30,
			...intervalOnly,
		},
	]);
	for (const entry of listed)
		t.deepEqual(Object.keys(entry).sort(), jsonFields);
});

test("profile list --json on an empty database prints an empty array", async (t) => {
	const run = profile(await makeTempDatabase(), "list", "--json");
	assertSucceeded(t, run);
	t.deepEqual(JSON.parse(run.stdout), []);
});

test("profile show --json prints an object with exactly the form's fields", async (t) => {
	const db = await makeTempDatabase([storeDefault]);
	const run = profile(db, "show", "STORE-DEFAULT", "--json");
	assertSucceeded(t, run);
	const shown = JSON.parse(run.stdout) as Record<string, unknown>;
	t.deepEqual(Object.keys(shown).sort(), jsonFields);
	t.deepEqual(shown, {
		name: "STORE-DEFAULT",
		description: "Stores: every 15 minutes down, 30 up",
		downloadIntervalMinutes: 15,
		uploadIntervalMinutes: 30,
		...intervalOnly,
	});
});

// Refusals: exit 2, one line naming the field, nothing changed

test("a bad download interval exits 2 naming the field and leaves db.json as it was", async (t) => {
	await assertRefusedUntouched(
		t,
		["add", "FLAGSHIP", "--download", "abc", "--upload", "10"],
		/^cdx: Data download interval in minutes: must be a whole number from 1 to 1440 \(got "abc"\)\n$/,
	);
});

test("a bad upload interval on set exits 2 naming the field and leaves db.json as it was", async (t) => {
	await assertRefusedUntouched(
		t,
		["set", "STORE-DEFAULT", "--upload", "1441"],
		/^cdx: Data upload interval in minutes: must be a whole number from 1 to 1440 \(got "1441"\)\n$/,
	);
});

test("a missing interval on add exits 2 naming the field", async (t) => {
	await assertRefusedUntouched(
		t,
		["add", "FLAGSHIP", "--download", "5"],
		/^cdx: Data upload interval in minutes: must be a whole number from 1 to 1440 \(required\)\n$/,
	);
});

test("a bad name exits 2 naming the field and leaves db.json as it was", async (t) => {
	await assertRefusedUntouched(
		t,
		["add", "STORE 12", "--download", "5", "--upload", "10"],
		/^cdx: Name: must be 1 to 20 characters: letters A-Z, digits, "-" and "_" \(got "STORE 12"\)\n$/,
	);
});

test("a name another profile has, in other case, exits 2 and leaves db.json as it was", async (t) => {
	await assertRefusedUntouched(
		t,
		["add", "store-default", "--download", "5", "--upload", "10"],
		/^cdx: Name: another profile is already called "STORE-DEFAULT" \(names are compared ignoring case\)\n$/,
	);
});

test("a description with an escape sequence exits 2 naming the field", async (t) => {
	await assertRefusedUntouched(
		t,
		["set", "STORE-DEFAULT", "--description", osc52],
		/^cdx: Description: must not contain control characters\n$/,
	);
});

for (const command of ["show", "set", "delete"]) {
	test(`profile ${command} of an unknown profile exits 2 naming it and leaves db.json as it was`, async (t) => {
		await assertRefusedUntouched(
			t,
			[command, "NOPE"],
			/^cdx: Async Server profile "NOPE" not found \(see cdx profile list\)\n$/,
		);
	});
}

test("an unknown option exits 2 naming it and leaves db.json as it was", async (t) => {
	await assertRefusedUntouched(
		t,
		["list", "--colour"],
		/^cdx: Unknown option '--colour' \(see cdx profile --help\)\n$/,
	);
});

test("an option without its value exits 2 naming it", async (t) => {
	const db = await makeTempDatabase([storeDefault]);
	const before = await readBytes(db);
	const run = runCdx([
		"profile",
		"--db",
		db,
		"set",
		"STORE-DEFAULT",
		"--download",
	]);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Option '--download <value>' argument missing \(see cdx profile --help\)\n$/,
	);
	t.deepEqual(await readBytes(db), before);
});

for (const command of ["show", "add", "set", "delete"]) {
	test(`profile ${command} without NAME exits 2 and leaves db.json as it was`, async (t) => {
		await assertRefusedUntouched(
			t,
			[command],
			new RegExp(
				`^cdx: cdx profile ${command} needs the profile's NAME \\(see cdx profile --help\\)\\n$`,
			),
		);
	});
}

test("an unknown subcommand exits 2 naming it", async (t) => {
	await assertRefusedUntouched(
		t,
		["rename", "STORE-DEFAULT"],
		/^cdx: unknown command "rename" for cdx profile/,
	);
});

test("a refused command does not create a database that was not there", async (t) => {
	const db = join(await makeTempFolder(), "typo", "db.json");
	assertOneLineError(t, profile(db, "show"), 2, /needs the profile's NAME/);
	t.false(existsSync(db));
});

// Where the database is

test("$CDX_DB names the database when --db is absent", async (t) => {
	const db = await makeTempDatabase([flagship]);
	const run = runCdx(["profile", "list", "--json"], { env: { CDX_DB: db } });
	assertSucceeded(t, run);
	t.deepEqual(
		(JSON.parse(run.stdout) as { name: string }[]).map((entry) => entry.name),
		["FLAGSHIP"],
	);
});

test("--db wins over $CDX_DB", async (t) => {
	const flagDb = await makeTempDatabase([flagship]);
	const environmentDb = await makeTempDatabase([storeDefault]);
	const run = runCdx(["profile", "list", "--json", "--db", flagDb], {
		env: { CDX_DB: environmentDb },
	});
	assertSucceeded(t, run);
	t.deepEqual(
		(JSON.parse(run.stdout) as { name: string }[]).map((entry) => entry.name),
		["FLAGSHIP"],
	);
});

test("without --db or $CDX_DB the database is $XDG_DATA_HOME/cdx-scheduler/db.json", async (t) => {
	const dataHome = await makeTempFolder();
	const run = runCdx(
		["profile", "add", "FLAGSHIP", "--download", "5", "--upload", "10"],
		{ env: { XDG_DATA_HOME: dataHome, HOME: await makeTempFolder() } },
	);
	assertSucceeded(t, run);
	const db = join(dataHome, "cdx-scheduler", "db.json");
	t.is((await readDatabase(db)).profiles[0]?.name, "FLAGSHIP");
});

test("without $XDG_DATA_HOME the database is ~/.local/share/cdx-scheduler/db.json", async (t) => {
	const home = await makeTempFolder();
	const run = runCdx(
		["profile", "add", "FLAGSHIP", "--download", "5", "--upload", "10"],
		{ env: { HOME: home } },
	);
	assertSucceeded(t, run);
	const db = join(home, ".local", "share", "cdx-scheduler", "db.json");
	t.is((await readDatabase(db)).profiles[0]?.name, "FLAGSHIP");
});

test("an empty --db exits 2 instead of editing the default database", async (t) => {
	const dataHome = await makeTempFolder();
	const run = runCdx(
		[
			"profile",
			"add",
			"FLAGSHIP",
			"--download",
			"5",
			"--upload",
			"10",
			"--db",
			"",
		],
		{ env: { XDG_DATA_HOME: dataHome } },
	);
	assertOneLineError(t, run, 2, /^cdx: --db needs the path of a database file/);
	t.false(existsSync(join(dataHome, "cdx-scheduler", "db.json")));
});

// Files cdx must not touch

test("a corrupt database exits 1 with one line naming the file and leaves it as it was", async (t) => {
	const db = await writeTempDatabase('{"schemaVersion": 2, "profiles": [');
	const before = await readBytes(db);
	const run = profile(db, "list");
	assertOneLineError(
		t,
		run,
		1,
		new RegExp(
			`^cdx: ${escapeRegExp(db)}: not valid JSON .*the file was not changed\\n$`,
		),
	);
	t.is(run.stdout, "");
	t.deepEqual(await readBytes(db), before);
});

test("a database from a newer cdx-scheduler exits 1 naming the file and leaves it as it was", async (t) => {
	const text = JSON.stringify({ ...emptyConfiguration(), schemaVersion: 99 });
	const db = await writeTempDatabase(text);
	const run = profile(
		db,
		"add",
		"FLAGSHIP",
		"--download",
		"5",
		"--upload",
		"10",
	);
	assertOneLineError(
		t,
		run,
		1,
		new RegExp(`^cdx: ${escapeRegExp(db)}: written by a newer cdx-scheduler`),
	);
	t.deepEqual(await readBytes(db), Buffer.from(text));
});

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Help, version, terminal

test("cdx --version prints the package version", (t) => {
	const run = runCdx(["--version"]);
	assertSucceeded(t, run);
	t.is(run.stdout, `${packageJson.version}\n`);
});

test("cdx profile --help prints the usage and exits 0", (t) => {
	const run = runCdx(["profile", "--help"]);
	assertSucceeded(t, run);
	t.true(run.stdout.startsWith("Usage: cdx profile <command> [options]"));
});

test("cdx without a terminal exits 2 saying the full-screen app needs one", async (t) => {
	const db = await makeTempDatabasePath();
	const run = runCdx(["--db", db]);
	assertOneLineError(t, run, 2, /the full-screen app needs a terminal/);
	t.is(run.stdout, "");
	t.false(existsSync(db));
});

// Text from the database reaches the terminal inert

// The CLI refuses such a description (see above); a hand edit or another
// tool can still put one in db.json.
const planted = makeProfile("PLANTED", {
	description: `copy ${osc52} \u009B2J \u202Eevil`,
});

test("profile list prints a description with an escape sequence inert", async (t) => {
	const run = profile(await makeTempDatabase([planted]), "list");
	assertSucceeded(t, run);
	t.deepEqual(terminalControls(run.stdout), []);
	t.true(run.stdout.includes("copy ␛]52;c;SGVsbG8=␇"));
});

test("profile show prints a description with an escape sequence inert", async (t) => {
	const run = profile(await makeTempDatabase([planted]), "show", "PLANTED");
	assertSucceeded(t, run);
	t.deepEqual(terminalControls(run.stdout), []);
});

test("profile list --json escapes a description's control characters and keeps its value", async (t) => {
	const run = profile(await makeTempDatabase([planted]), "list", "--json");
	assertSucceeded(t, run);
	t.deepEqual(terminalControls(run.stdout), []);
	t.is(
		(JSON.parse(run.stdout) as { description: string }[])[0]?.description,
		planted.description,
	);
});

test("a not-found message shows a typed escape sequence inert", async (t) => {
	const db = await makeTempDatabase([storeDefault]);
	const run = profile(db, "show", `X${osc52}`);
	t.is(run.status, 2);
	t.deepEqual(terminalControls(run.stderr), []);
});

// Cron schedules, time zones, renaming

test("profile add takes cron schedules and a time zone, shown in --json", async (t) => {
	const db = await makeTempDatabasePath();
	const run = profile(
		db,
		"add",
		"NIGHTLY",
		"--download",
		"15",
		"--upload",
		"30",
		"--download-cron",
		"0 2 * * *",
		"--upload-cron",
		"30 23 * * 1-5",
		"--time-zone",
		"Europe/Berlin",
	);
	assertSucceeded(t, run);
	t.like(JSON.parse(profile(db, "show", "NIGHTLY", "--json").stdout), {
		downloadCron: "0 2 * * *",
		uploadCron: "30 23 * * 1-5",
		timeZone: "Europe/Berlin",
	});
});

test("profile set --download-cron '' goes back to the interval", async (t) => {
	const db = await makeTempDatabase([
		makeProfile("NIGHTLY", { downloadCron: "0 2 * * *" }),
	]);
	assertSucceeded(t, profile(db, "set", "NIGHTLY", "--download-cron", ""));
	t.is((await readDatabase(db)).profiles[0]?.downloadCron, "");
});

test("a bad cron expression exits 2 naming the field and leaves db.json as it was", async (t) => {
	await assertRefusedUntouched(
		t,
		["set", "STORE-DEFAULT", "--download-cron", "61 * * * *"],
		/^cdx: Download schedule \(cron\): minute "61": must be within 0-59 \(got "61 \* \* \* \*"\)\n$/,
	);
});

test("an unknown time zone exits 2 naming the field", async (t) => {
	await assertRefusedUntouched(
		t,
		["set", "STORE-DEFAULT", "--time-zone", "Mars/Base"],
		/^cdx: Time zone: unknown time zone "Mars\/Base" \(use an IANA name such as Europe\/Berlin\)\n$/,
	);
});

test("profile set --name renames the profile and its channel databases follow", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = profile(db, "set", "store-default", "--name", "STORES-15");
	assertSucceeded(t, run);
	t.is(run.stdout, 'Saved Async Server profile "STORES-15"\n');
	t.is(assertShown(t, db, "channel-db", "STORE-1").profile, "STORES-15");
});

test("--name on add exits 2: the name is the argument", async (t) => {
	await assertRefusedUntouched(
		t,
		["add", "NEW", "--name", "OTHER", "--download", "5", "--upload", "5"],
		/^cdx: --name renames a record: it is for set only/,
	);
});

test("an interval flag on a command that does not save exits 2", async (t) => {
	await assertRefusedUntouched(
		t,
		["delete", "STORE-DEFAULT", "--download", "5"],
		/^cdx: --download is for add and set only \(see cdx profile --help\)\n$/,
	);
});

test("profile add --json prints the saved profile", async (t) => {
	const run = profile(
		await makeTempDatabasePath(),
		"add",
		"FLAGSHIP",
		"--download",
		"5",
		"--upload",
		"10",
		"--json",
	);
	assertSucceeded(t, run);
	t.deepEqual(JSON.parse(run.stdout), {
		name: "FLAGSHIP",
		description: "",
		downloadIntervalMinutes: 5,
		uploadIntervalMinutes: 10,
		...intervalOnly,
	});
});

test("a database other users can read is reported on stderr with the fix, and the command still works", async (t) => {
	const path = await makeTempDatabase();
	await chmod(path, 0o644);
	const result = runCdx(["profile", "list", "--db", path]);
	t.is(result.status, 0);
	t.is(
		result.stderr,
		`cdx: warning: ${path} can be read by other users (mode 644): fix it with chmod 600 ${path}\n`,
	);
});
