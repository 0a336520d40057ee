import {
	lstat,
	mkdir,
	readdir,
	readFile,
	symlink,
	writeFile,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import {
	currentSchemaVersion,
	emptyConfiguration,
} from "../../source/domain/configuration.js";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { addProfileArgs, buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import { assertSucceeded } from "../helpers/cli-assertions.js";
import {
	makeConfiguration,
	makeProfile,
	makeProfiles,
	makeTempDatabase,
	makeTempDatabasePath,
	makeTempFolder,
	readDatabase,
	seedChannelIntegration,
} from "../helpers/database.js";
import {
	type MalformedDatabase,
	refusedByEveryCommand,
} from "../helpers/malformed-database.js";
import {
	finished,
	saveProfilesScript,
	saveReports,
	spawnTypeScript,
} from "../helpers/processes.js";
import { renderApp } from "../helpers/render-app.js";
import { terminalControls } from "../helpers/terminal-text.js";
import { waitUntil } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});

const profile = makeProfile("FLAGSHIP");

/** Files no cdx-scheduler wrote, and what the one line refusing each says (large ones: large-files.slow.test.ts). */
const malformed: MalformedDatabase[] = [
	{ what: "an empty file", text: () => "", says: /not valid JSON/ },
	{
		what: "invalid JSON cut short",
		text: () => JSON.stringify(makeConfiguration([profile])).slice(0, 100),
		says: /not valid JSON/,
	},
	{
		what: "binary garbage with escape sequences",
		text: () => "\u001B]52;c;SGVsbG8=\u0007\u0000\u00FF\u009B2J{",
		says: /not valid JSON/,
	},
	{
		what: "a JSON list",
		text: () => "[1, 2, 3]",
		says: /not a cdx-scheduler database \(no schemaVersion\)/,
	},
	{
		what: "a record of the wrong shape",
		text: () =>
			JSON.stringify({
				...makeConfiguration([profile]),
				workingFolders: [{ name: 7 }],
			}),
		says: /workingFolders\[0\]\.id must be a string/,
	},
	{
		what: "a newer schema",
		text: () =>
			JSON.stringify({
				...emptyConfiguration(),
				schemaVersion: currentSchemaVersion + 1,
			}),
		says: /written by a newer cdx-scheduler/,
	},
	{
		what: "a schema version that is not a whole number",
		text: () => JSON.stringify({ ...emptyConfiguration(), schemaVersion: 1.5 }),
		says: /schemaVersion must be a whole number/,
	},
	{
		what: "two profiles with one id",
		text: () =>
			JSON.stringify(
				makeConfiguration([profile, makeProfile("OTHER", { id: profile.id })]),
			),
		says: /Async Server profile: two records have the id "id-FLAGSHIP" \(profiles\[0\] and profiles\[1\]\); ids must be unique/,
	},
	{
		what: "two profiles whose names differ only in case",
		text: () =>
			JSON.stringify(
				makeConfiguration([profile, makeProfile("flagship", { id: "p2" })]),
			),
		says: /Async Server profile: two records have the name "FLAGSHIP" and "flagship" .*names must be unique ignoring case/,
	},
	{
		what: "a number too large to be finite (1e309)",
		text: () =>
			JSON.stringify(makeConfiguration([profile])).replace(
				'"downloadIntervalMinutes":15',
				'"downloadIntervalMinutes":1e309',
			),
		says: /profiles\[0\]\.downloadIntervalMinutes must be a finite number/,
	},
	{
		what: "an unknown field holding -1e400",
		text: () =>
			JSON.stringify({ ...makeConfiguration([profile]), note: 0 }).replace(
				'"note":0',
				'"note":-1e400',
			),
		says: /: note must be a finite number/,
	},
	{
		what: "saved with a UTF-8 byte order mark",
		text: () => `\uFEFF${JSON.stringify(makeConfiguration([profile]))}`,
		says: /starts with a byte order mark: save it as UTF-8 without BOM/,
	},
	{
		what: "an older schema whose profiles are not a list",
		text: () => JSON.stringify({ schemaVersion: 2, profiles: {} }),
		says: /"profiles" must be a list/,
	},
	{
		what: "an older schema with hand-added channel databases that are not a list",
		text: () =>
			JSON.stringify({ schemaVersion: 1, profiles: [], channelDatabases: {} }),
		says: /"channelDatabases" must be a list/,
	},
	{
		what: "an older schema with only its profiles",
		text: () => JSON.stringify({ schemaVersion: 2, profiles: [] }),
		says: /"workingFolders" must be a list/,
	},
	{
		what: "an older schema whose profile is not an object",
		text: () => JSON.stringify({ schemaVersion: 1, profiles: ["STORES"] }),
		says: /profiles\[0\] must be an object/,
	},
];

for (const file of malformed) refusedByEveryCommand(file);

// A symlinked db.json: an operator may keep the real file elsewhere (a backed-up volume).

async function symlinkedDatabase() {
	const real = join(await makeTempFolder(), "volume", "real.json");
	await mkdir(dirname(real));
	await writeFile(
		real,
		`${JSON.stringify(makeConfiguration(makeProfiles(3)), null, "\t")}\n`,
		{ mode: 0o600 },
	);
	const link = await makeTempDatabasePath();
	await symlink(real, link);
	return { real, link };
}

test("a save through a symlinked db.json writes the file it points to and keeps the link", async (t) => {
	const { real, link } = await symlinkedDatabase();
	const run = runCdx(addProfileArgs(link, "VIA-LINK"));
	assertSucceeded(t, run);
	t.true((await lstat(link)).isSymbolicLink(), "db.json is still a symlink");
	t.deepEqual(
		(await readDatabase(real)).profiles.map((saved) => saved.name),
		["PROFILE-1", "PROFILE-2", "PROFILE-3", "VIA-LINK"],
	);
	t.is((await lstat(real)).mode & 0o777, 0o600);
	t.deepEqual(await readdir(dirname(link)), ["db.json"], "no lock left");
	t.deepEqual(await readdir(dirname(real)), ["real.json"], "no lock left");
});

test("writers through the symlink and through the real path share one lock: none of their saves is lost", async (t) => {
	const { real, link } = await symlinkedDatabase();
	const runs = await Promise.all(
		[
			[link, "LINK"],
			[real, "REAL"],
		].map(([path = "", prefix = ""]) =>
			finished(spawnTypeScript(saveProfilesScript, [path, prefix, "40"])),
		),
	);
	const refused = runs.flatMap((run) =>
		saveReports(run.lines).filter((report) => !report.ok),
	);
	t.deepEqual(refused, []);
	const names = (await readDatabase(real)).profiles.map((saved) => saved.name);
	t.is(names.length, 3 + 80, "every save of both writers is in the file");
	t.true((await lstat(link)).isSymbolicLink());
});

test("a store watching through a symlink sees a save made through the real path", async (t) => {
	const { real, link } = await symlinkedDatabase();
	const watching = await ConfigurationStore.open(link);
	t.teardown(watching.watch());
	const other = await ConfigurationStore.open(real);
	await other.save(profileKind, {
		...profileKind.emptyDraft(),
		name: "FROM-REAL",
		downloadIntervalMinutes: "5",
		uploadIntervalMinutes: "5",
	});
	await waitUntil(
		() => watching.getSnapshot().configuration.profiles.length === 4,
		"the watched snapshot to show the save",
	);
	t.pass();
});

// State files and session logs a client left damaged, or that something else wrote.

async function seededWithState(state: string, sessions: string) {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path));
	const stateFolder = join(dirname(path), "state");
	await mkdir(stateFolder);
	await writeFile(join(stateFolder, "STORE-1.json"), state);
	await writeFile(join(stateFolder, "STORE-1.sessions.jsonl"), sessions);
	return { path, stateFolder };
}

const garbage = "\u001B[2J\u0007\u009B31m\u0000{{{ not json";
const cutSession = `{"id":"download:DG1:1:0","direction":"download","package":"/x/0000000001.package.json","sequence":1,"tries":1,"rows":2,"startedAt":"2026-11-26T08:00:00.000Z","finishedAt":null,"error":null,"at":"2026-11-26T08:00:00.000Z","status":"Requested"}\n${garbage}\n{"id":"download:DG1:2:0","dire`;

for (const [what, state] of [
	["garbage", garbage],
	["truncated", '{"formatVersion": 1, "pid": 12'],
	["the wrong shape", '{"formatVersion": 1, "pid": "twelve"}'],
] as const) {
	test(`a state file that is ${what}: cdx status still answers and says the state file is unreadable`, async (t) => {
		const { path, stateFolder } = await seededWithState(state, cutSession);
		const before = await readdir(stateFolder);
		const plain = runCdx(["status", "--db", path]);
		assertSucceeded(t, plain);
		t.regex(plain.stdout, /^STORE-1\s+not started/m);
		t.regex(plain.stdout, /^STORE-1: state file unreadable \(/m);
		t.deepEqual(terminalControls(plain.stdout), []);
		const json = runCdx(["status", "--json", "--db", path]);
		assertSucceeded(t, json);
		t.regex(
			JSON.parse(json.stdout)[0]?.problem ?? "",
			/^state file unreadable \(/,
		);
		t.deepEqual(terminalControls(json.stdout), []);
		t.deepEqual(await readdir(stateFolder), before, "nothing written");
		t.is(
			await readFile(join(stateFolder, "STORE-1.json"), "utf8"),
			state,
			"the state file is left as it was",
		);
	});
}

test("the TUI's panel says a garbage state file is unreadable, and the sessions screen lists what it can read of a damaged log", async (t) => {
	const { path, stateFolder } = await seededWithState(garbage, cutSession);
	const app = await renderApp(path);
	t.teardown(app.unmount);
	await app.waitFor("state file unreadable");
	t.deepEqual(terminalControls(app.screen()), []);
	await app.press(":");
	await app.type("download sess");
	await app.press("\r");
	await app.waitFor("0000000001.package.json");
	t.regex(app.screen(), /STORE-1\s+Requested/);
	t.deepEqual(terminalControls(app.screen()), []);
	t.is(
		await readFile(join(stateFolder, "STORE-1.sessions.jsonl"), "utf8"),
		cutSession,
		"a reader never repairs the log: only the client writes it",
	);
	const packages = runCdx(["package", "list", "--db", path]);
	assertSucceeded(t, packages);
});

test("a db.json swapped for garbage while the TUI runs: the last good records stay on screen with the problem, and a save is refused without touching the file", async (t) => {
	const path = await makeTempDatabase([profile]);
	const app = await renderApp(path);
	t.teardown(app.unmount);
	t.teardown(app.store.watch());
	await writeFile(path, garbage);
	await app.waitFor(`${path}: not valid JSON`);
	t.deepEqual(terminalControls(app.screen()), []);
	const outcome = await app.store.save(profileKind, {
		...profileKind.emptyDraft(),
		name: "AFTER",
		downloadIntervalMinutes: "5",
		uploadIntervalMinutes: "5",
	});
	t.like(outcome, { ok: false, reason: "write-failed" });
	t.is(await readFile(path, "utf8"), garbage);
});
