import { mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import type { ClientState } from "../../source/domain/client-state.js";
import {
	type Configuration,
	emptyConfiguration,
} from "../../source/domain/configuration.js";
import { packageFileName } from "../../source/domain/package-format.js";
import type { SessionEvent } from "../../source/domain/session-events.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { buildCdxIfMissing, type CdxRun, runCdx } from "../helpers/cdx.js";
import {
	makeProfile,
	makeTempDatabasePath,
	makeTempFolder,
	readBytes,
	seedChannelIntegration,
	writeTempDatabase,
} from "../helpers/database.js";
import { manualClock } from "../helpers/manual-clock.js";
import { keys, openForm, renderApp } from "../helpers/render-app.js";
import {
	allHostile,
	hostileTexts,
	terminalControls,
} from "../helpers/terminal-text.js";

test.before(() => {
	buildCdxIfMissing();
});

// Names carry every hostile text after a readable prefix, so a test can find the row.
const evil = (prefix: string) => `${prefix}${allHostile}`;
const names = {
	profile: evil("P-"),
	folders: evil("WF-"),
	group: evil("DG-"),
	database: evil("DB-"),
};
const meta = {
	version: 1,
	modifiedAt: "2026-11-26T08:00:00.000Z",
	modifiedBy: `${hostileTexts.title}root@store`,
};

/**
 * A configuration written by hand (or by another tool): every text field of
 * every form holds escape sequences, which the forms would have refused.
 */
function hostileConfiguration(root: string): Configuration {
	return {
		...emptyConfiguration(),
		profiles: [
			makeProfile("P", {
				name: names.profile,
				id: "p",
				description: evil("about "),
				...meta,
			}),
		],
		workingFolders: [
			{
				id: "wf",
				...meta,
				name: names.folders,
				description: evil("folders "),
				downloadPath: join(root, `download${hostileTexts.csi}`),
				uploadPath: join(root, `upload${hostileTexts.osc52}`),
			},
		],
		dataGroups: [
			{
				id: "dg",
				...meta,
				name: names.group,
				description: evil("group "),
				schema: "AX 2012 R3",
				workingFoldersId: "wf",
			},
		],
		channelDatabases: [
			{
				id: "db",
				...meta,
				name: names.database,
				dataGroupId: "dg",
				userName: evil("user "),
				passwordSecret: "aes-256-gcm:not-a-real-secret",
				profileId: "p",
				channels: [evil("S-")],
				serverName: evil("server "),
				databaseName: evil("database "),
				spreadLoad: false,
			},
		],
	};
}

/** A client's state and sessions as a damaged or hostile client could leave them at `now`. */
async function writeClientFiles(path: string, root: string, now: Date) {
	const stateFolder = join(dirname(path), "state");
	await mkdir(stateFolder, { recursive: true });
	const state: ClientState = {
		formatVersion: 1,
		pid: process.pid,
		host: hostname(),
		startedAt: now.toISOString(),
		heartbeatAt: now.toISOString(),
		stoppedAt: null,
		channelDatabase: names.database,
		profile: names.profile,
		dataGroup: names.group,
		nextDownloadAt: new Date(now.getTime() + 60_000).toISOString(),
		nextUploadAt: new Date(now.getTime() + 120_000).toISOString(),
		currentRun: {
			direction: "download",
			startedAt: now.toISOString(),
			step: evil("applying "),
			done: 0,
			total: 1,
		},
		lastDownload: {
			startedAt: now.toISOString(),
			at: now.toISOString(),
			status: "Failed",
			packages: 0,
			rows: 0,
			message: evil("failed: "),
		},
		lastUpload: null,
		configProblem: evil("problem: "),
		scheduleChangedAt: now.toISOString(),
	};
	await writeFile(
		join(stateFolder, `${names.database}.json`),
		JSON.stringify(state),
	);
	const downloadFolder = join(root, `download${hostileTexts.csi}`, names.group);
	const session: SessionEvent = {
		id: evil("download:"),
		direction: "download",
		package: join(downloadFolder, packageFileName(1)),
		sequence: 1,
		tries: 1,
		rows: 0,
		startedAt: now.toISOString(),
		finishedAt: now.toISOString(),
		error: evil("set aside: "),
		at: now.toISOString(),
		status: "Download failed",
	};
	await writeFile(
		join(stateFolder, `${names.database}.sessions.jsonl`),
		`${JSON.stringify(session)}\n`,
	);
	// A copy set aside in quarantine is named "<database>.<package file>":
	// a name with escapes, and a reason with more.
	const quarantine = join(downloadFolder, "quarantine");
	await mkdir(quarantine, { recursive: true });
	const quarantined = join(
		quarantine,
		`${hostileTexts.osc52}${hostileTexts.c1}.${packageFileName(2)}`,
	);
	await writeFile(quarantined, "{ not a package");
	await writeFile(`${quarantined}.reason.txt`, evil("reason: "));
}

async function hostileDatabase({ clientFiles = true } = {}) {
	const root = await makeTempFolder();
	const path = await writeTempDatabase(
		JSON.stringify(hostileConfiguration(root)),
	);
	// The client's files say it was running at this moment; the app is shown it then.
	const now = new Date();
	if (clientFiles) await writeClientFiles(path, root, now);
	return { path, root, now };
}

/** Nothing a terminal acts on, in either stream; the run itself may succeed or not. */
function assertInert(t: ExecutionContext, run: CdxRun, what: string): void {
	t.deepEqual(terminalControls(run.stdout), [], `${what}: stdout`);
	t.deepEqual(terminalControls(run.stderr), [], `${what}: stderr`);
}

const forms = [
	["profile", names.profile],
	["working-folders", names.folders],
	["data-group", names.group],
	["channel-db", names.database],
] as const;

test("every list, show, --json, export, status and package list prints hand-written escape sequences inert", async (t) => {
	const { path } = await hostileDatabase();
	const before = await readBytes(path);
	const commands: string[][] = [
		...forms.flatMap(([form, name]) => [
			[form, "list"],
			[form, "list", "--json"],
			[form, "show", name],
			[form, "show", name, "--json"],
		]),
		["parameters", "show"],
		["export"],
		["status"],
		["status", "--json"],
		["package", "list"],
		["package", "list", "--json"],
	];
	const runs = commands.map((args) => runCdx([...args, "--db", path]));
	for (const [index, run] of runs.entries()) {
		const what = commands[index]?.join(" ") ?? "";
		t.is(run.status, 0, `${what}: ${run.stderr}`);
		assertInert(t, run, what);
		t.true(run.stdout.length > 0, what);
	}
	// JSON keeps the value: escaped, not lost.
	const profiles = JSON.parse(runs[1]?.stdout ?? "[]") as { name: string }[];
	t.is(profiles[0]?.name, names.profile);
	const status =
		runs[commands.findIndex((args) => args.join(" ") === "status --json")];
	t.is(JSON.parse(status?.stdout ?? "[]")[0]?.channelDatabase, names.database);
	t.regex(
		runs[commands.findIndex((args) => args.join(" ") === "package list")]
			?.stdout ?? "",
		/Quarantined: reason: /,
	);
	t.true((await readBytes(path)).equals(before), "nothing written");
	t.log(
		`${commands.length} commands, ${Object.keys(hostileTexts).length} kinds of escape, all inert`,
	);
});

test("cdx import refuses records with escape sequences, and prints each problem inert", async (t) => {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path));
	const exported = JSON.parse(runCdx(["export", "--db", path]).stdout);
	exported.profiles[0].description = evil("imported ");
	exported.workingFolders[0].downloadPath = `/srv/${hostileTexts.csi}`;
	exported.channelDatabases[0].serverName = evil("server ");
	exported.dataGroups[0].name = evil("DG-");
	const file = join(await makeTempFolder(), "hostile-export.json");
	await writeFile(file, JSON.stringify(exported));
	const before = await readBytes(path);
	const run = runCdx(["import", file, "--db", path]);
	t.is(run.status, 2, run.stderr);
	assertInert(t, run, "import");
	t.regex(run.stderr, /must not contain control characters/);
	t.true((await readBytes(path)).equals(before), "nothing imported");
});

test("an error from the file system about a path with escapes is printed inert", async (t) => {
	const { path, root } = await hostileDatabase({ clientFiles: false });
	// The download working folder cannot be made: a file stands where its parent should be.
	await writeFile(join(root, `download${hostileTexts.csi}`), "not a folder");
	const tables = join(root, "tables.json");
	await writeFile(
		tables,
		JSON.stringify({ tables: { ITEMS: [{ key: "1" }] } }),
	);
	const create = runCdx([
		"package",
		"create",
		"--data-group",
		names.group,
		"--from",
		tables,
		"--db",
		path,
	]);
	t.not(create.status, 0);
	assertInert(t, create, "package create");
	t.regex(create.stderr, /^cdx: .*␛\[2J/);
	const client = runCdx([
		"client",
		"--channel-db",
		names.database,
		"--db",
		path,
	]);
	t.is(client.status, 2, client.stderr);
	assertInert(t, client, "client");
	const list = runCdx(["package", "list", "--db", path]);
	assertInert(t, list, "package list over a broken folder");
});

test("the TUI shows hand-written escape sequences inert in every list, form, the live panel and the sessions", async (t) => {
	const { path, now } = await hostileDatabase();
	// However long this takes on a busy machine, the client's heartbeat is fresh.
	const app = await renderApp(path, { clock: manualClock(now.toISOString()) });
	t.teardown(app.unmount);
	const frames: string[] = [];
	const look = (what: string) => {
		frames.push(app.screen());
		t.deepEqual(terminalControls(app.screen()), [], what);
	};
	// The live panel on the first screen: the channel database, its state and its problem.
	await app.waitFor(/DB-.* ⚠ (running|↓)/);
	look("live panel");
	for (const [query, name] of [
		["async", "P-"],
		["working", "WF-"],
		["group", "DG-"],
		["chdb", "DB-"],
	] as const) {
		await app.press(":");
		await app.type(query);
		await app.press(keys.enter);
		await app.waitFor(name);
		look(`${query} list`);
		await app.press(keys.enter);
		await app.waitFor("Esc cancel");
		look(`${query} form`);
		await app.press(keys.escape);
		await app.waitFor("^N new");
		await app.press(keys.escape);
	}
	await app.press(":");
	await app.type("download sess");
	await app.press(keys.enter);
	await app.waitFor("Download failed");
	look("sessions");
	await app.press(keys.enter);
	await app.waitFor("set aside: ");
	look("session detail");
	t.true(
		frames.some((frame) => frame.includes("␛]52;c;SGVsbG8=␇")),
		"shown as control pictures, not dropped",
	);
});

test("escape sequences typed or pasted into a TUI field never reach db.json", async (t) => {
	const path = await writeTempDatabase(JSON.stringify(emptyConfiguration()));
	const app = await openForm(path, "async");
	t.teardown(app.unmount);
	await app.press("n");
	await app.waitFor("New Async Server profile");
	await app.type("TYPED");
	await app.press(keys.tab);
	// ESC itself is the Escape key; the rest of a sequence arrives as text.
	await app.type(
		`copy]52;c;SGVsbG8=${hostileTexts.bel}${hostileTexts.c1}${hostileTexts.bidi}`,
	);
	await app.press(keys.tab);
	await app.type("15");
	await app.press(keys.tab);
	await app.type("30");
	await app.press(keys.ctrlS);
	await app.waitFor(
		(frame) =>
			frame.includes("must not contain control characters") ||
			frame.includes('Saved Async Server profile "TYPED"'),
	);
	t.deepEqual(terminalControls(app.screen()), []);
	const saved = JSON.parse(await readFile(path, "utf8")).profiles as {
		description: string;
	}[];
	for (const profile of saved)
		t.deepEqual(terminalControls(profile.description), [], profile.description);
	t.log(
		saved.length === 0
			? "refused next to the field"
			: `the field dropped the controls; saved ${JSON.stringify(saved[0]?.description)}`,
	);
});
