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
import {
	addProfileArgs,
	buildCdxIfMissing,
	runCdx,
	runCdxAsync,
} from "../helpers/cdx.js";
import { assertSucceeded } from "../helpers/cli-assertions.js";
import {
	makeConfiguration,
	makeProfile,
	makeProfiles,
	makeTempDatabase,
	makeTempDatabasePath,
	makeTempFolder,
	readBytes,
	readDatabase,
	seedChannelIntegration,
	writeTempDatabase,
} from "../helpers/database.js";
import {
	finished,
	saveProfilesScript,
	saveReports,
	spawnTypeScript,
} from "../helpers/processes.js";
import { renderApp } from "../helpers/render-app.js";
import { terminalControls } from "../helpers/terminal-text.js";
import { startTerminal } from "../helpers/tmux.js";
import { waitUntil } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});

const profile = makeProfile("FLAGSHIP");

/** Files no cdx-scheduler wrote, and what the one line refusing each says. */
const malformed: { what: string; text: () => string; says: RegExp }[] = [
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
		what: "a million nested lists",
		text: () => `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`,
		says: /not a cdx-scheduler database/,
	},
	{
		what: "50 MB of valid JSON of the wrong shape",
		// 215,000 good profiles, then working folders that are not a list.
		text: () => {
			const one = JSON.stringify(profile);
			const profiles = Array.from({ length: 215_000 }, () => one).join(",");
			return `{"schemaVersion":${currentSchemaVersion},"profiles":[${profiles}],"workingFolders":{"not":"a list"},"dataGroups":[],"channelDatabases":[],"parameters":{}}`;
		},
		says: /"workingFolders" must be a list/,
	},
];

for (const { what, text, says } of malformed) {
	test(`db.json that is ${what}: every command refuses it in one line naming the file, and nothing on disk changes`, async (t) => {
		const body = text();
		const path = await writeTempDatabase(body);
		const before = await readBytes(path);
		const commands = [
			["profile", "list"],
			["profile", "add", "NEW", "--download", "5", "--upload", "5"],
			["status", "--json"],
			["export"],
		];
		const runs = await Promise.all(
			commands.map((args) => runCdxAsync([...args, "--db", path])),
		);
		for (const [index, run] of runs.entries()) {
			const command = commands[index]?.join(" ");
			t.is(run.status, 1, `${command}: ${run.stderr}`);
			t.is(run.stdout, "", command);
			t.regex(run.stderr, /^cdx: [^\n]*\n$/, `${command}: one line`);
			t.true(run.stderr.startsWith(`cdx: ${path}: `), command);
			t.regex(run.stderr, says, command);
			t.true(run.stderr.length < 400, `${command}: a short line`);
			t.deepEqual(terminalControls(run.stderr), [], command);
		}
		t.true((await readBytes(path)).equals(before), "byte-identical");
		t.deepEqual(await readdir(dirname(path)), ["db.json"], "no file added");
		t.log(
			`${(body.length / 1024 / 1024).toFixed(1)} MB: ${runs[0]?.stderr.trim().slice(0, 160)}`,
		);
	});
}

test("the full-screen app on a broken db.json says why in one line, exits 1 and gives the terminal back", async (t) => {
	const path = await writeTempDatabase("{ half a file");
	const terminal = startTerminal(80, 24);
	t.teardown(terminal.close);
	terminal.run(`node dist/cdx.js --db ${path}; echo "exit=$?"`);
	const shown = await terminal.waitFor("exit=1");
	t.regex(shown, /cdx: .*db\.json: not valid JSON/);
	t.false(terminal.terminalModes().alternateScreen);
	t.is(await readFile(path, "utf8"), "{ half a file");
});

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
