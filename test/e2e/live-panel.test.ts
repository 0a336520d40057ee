import test from "ava";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import { profileKind } from "../../source/domain/profile.js";
import { describeRefusal } from "../../source/domain/record-changes.js";
import { runTimeText } from "../../source/domain/status-words.js";
import type { ConfigurationStore } from "../../source/store/configuration-store.js";
import { runCdx } from "../helpers/cdx.js";
import {
	type RunningClient,
	startClient,
	startsClientProcesses,
	waitUntilIdle,
} from "../helpers/client-processes.js";
import { type ClientSetup, makeClientSetup } from "../helpers/client-setup.js";
import { cdxBin, startTerminal } from "../helpers/tmux.js";
import { pause, waitUntil } from "../helpers/wait.js";

startsClientProcesses(test);

type Terminal = ReturnType<typeof startTerminal>;

async function saved(outcome: Promise<{ ok: boolean }>) {
	const result = await outcome;
	if (!result.ok)
		throw new Error(`fixture refused: ${describeRefusal(result as never)}`);
}

/** Profile QUICK (download every 7 minutes, upload every 11) for STORE2; STORE1 stays on the daily STORES. */
async function twoSchedules(store: ConfigurationStore) {
	await saved(
		store.save(profileKind, {
			...profileKind.emptyDraft(),
			name: "QUICK",
			description: "Busy stores",
			downloadIntervalMinutes: "7",
			uploadIntervalMinutes: "11",
		}),
	);
	const configuration = store.getSnapshot().configuration;
	const database = configuration.channelDatabases.find(
		(candidate) => candidate.name === "STORE2",
	);
	if (!database) throw new Error("fixture missing");
	await saved(
		store.save(
			channelDatabaseKind,
			{
				...channelDatabaseKind.toDraft(database, configuration),
				profile: "QUICK",
			},
			{ id: database.id, expectedVersion: database.version },
		),
	);
}

/** Two real clients on different schedules, running and idle. */
async function twoClients(t: {
	teardown: (fn: () => void) => void;
}): Promise<{ setup: ClientSetup; clients: Record<string, RunningClient> }> {
	const setup = await makeClientSetup({ databases: ["STORE1", "STORE2"] });
	await twoSchedules(setup.store);
	const clients: Record<string, RunningClient> = {};
	for (const name of ["STORE1", "STORE2"]) {
		const client = startClient(setup, name);
		t.teardown(() => client.child.kill("SIGKILL"));
		clients[name] = client;
	}
	for (const name of ["STORE1", "STORE2"])
		await waitUntilIdle(setup, name, clients[name] as RunningClient);
	return { setup, clients };
}

/** What `cdx status --json` says each client's next times are, as the panel writes them. */
function statusTimes(db: string): Map<string, string> {
	const run = runCdx(["status", "--json", "--db", db]);
	if (run.status !== 0) throw new Error(`cdx status failed: ${run.stderr}`);
	const rows = JSON.parse(run.stdout) as Array<{
		channelDatabase: string;
		status: string;
		nextDownloadAt: string;
		nextUploadAt: string;
	}>;
	const now = new Date();
	const shown = (iso: string) => runTimeText(new Date(iso), now, "UTC", "UTC");
	return new Map(
		rows.map((row) => [
			row.channelDatabase,
			`${row.status} ${shown(row.nextDownloadAt)} ${shown(row.nextUploadAt)}`,
		]),
	);
}

/** Each client's line of the panel as "status next-download next-upload". */
function panelTimes(screen: string): Map<string, string> {
	const found = new Map<string, string>();
	for (const match of screen.matchAll(
		/^(STORE\d) +(running) +(\w{3} \d\d:\d\d) +\S+(?: \S+)? +(\w{3} \d\d:\d\d) /gm,
	))
		found.set(match[1] ?? "", `${match[2]} ${match[3]} ${match[4]}`);
	return found;
}

async function agreeWithStatus(terminal: Terminal, db: string) {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const panel = panelTimes(terminal.screen());
		const reported = statusTimes(db);
		if (
			panel.size === 2 &&
			[...panel].every(([name, times]) => reported.get(name) === times)
		)
			return panel;
		if (Date.now() > deadline)
			throw new Error(
				`the panel ${JSON.stringify([...panel])} never agreed with cdx status ${JSON.stringify([...reported])}:\n${terminal.screen()}`,
			);
		await pause(50);
	}
}

async function openApp(db: string, columns: number, rows: number) {
	const terminal = startTerminal(columns, rows);
	terminal.run(`node ${cdxBin} --db ${db}`);
	await terminal.waitFor("q quit", 20_000);
	return terminal;
}

test("at 80×24 the panel heads its table, agrees with cdx status for two clients on different schedules, asks the selected one, and shows a killed one crashed", async (t) => {
	const { setup, clients } = await twoClients(t);
	const terminal = await openApp(setup.db, 80, 24);
	t.teardown(terminal.close);

	await terminal.waitFor(
		/^CHANNEL DB +STATUS +NEXT DOWNLOAD +LEFT +NEXT UPLOAD +LEFT\b/m,
	);
	await agreeWithStatus(terminal, setup.db);
	const screen = terminal.screen();
	// 80 columns have no room for the last upload (the last download fits while its text is short).
	t.regex(screen, /hidden: LAST UPLOAD/);
	// STORE2 runs every 7 minutes, STORE1 once a day: STORE2's row comes first.
	t.regex(screen, /^STORE2 .*\n^STORE1 /m);

	// A description is no schedule: no "rescheduling…", ever.
	const profile = setup.store
		.getSnapshot()
		.configuration.profiles.find((candidate) => candidate.name === "QUICK");
	if (!profile) throw new Error("fixture missing");
	await saved(
		setup.store.save(
			profileKind,
			{
				...profileKind.toDraft(
					profile,
					setup.store.getSnapshot().configuration,
				),
				description: "Busy stores, north",
			},
			{ id: profile.id, expectedVersion: profile.version },
		),
	);
	for (let look = 0; look < 40; look += 1) {
		t.false(terminal.screen().includes("rescheduling"), terminal.screen());
		await pause(50);
	}

	// The selection is the client: STORE1 is asked, and its answer comes back.
	terminal.type("p");
	await terminal.waitFor("selected STORE2");
	terminal.press("Down");
	await terminal.waitFor("selected STORE1");
	const before = lastDownloadAt(setup.db, "STORE1");
	terminal.type("D");
	// The status line's "Asked …" and the answer last seconds (headless tests
	// check them on a manual clock); here, the run the selected client made.
	await waitUntil(
		() => lastDownloadAt(setup.db, "STORE1") !== before,
		"STORE1's client to download when asked",
	);

	const killed = clients.STORE1 as RunningClient;
	killed.child.kill("SIGKILL");
	await killed.exited;
	await terminal.waitFor(/^STORE1 +✗ crashed/m, 10_000);
	t.false(terminal.screen().includes("stopped"));
});

test("at 160×45 every column shows, Enter opens a client's detail, and cdx status --watch redraws in place", async (t) => {
	const { setup } = await twoClients(t);
	const terminal = await openApp(setup.db, 160, 45);
	t.teardown(terminal.close);

	await terminal.waitFor(
		/^CHANNEL DB +STATUS +NEXT DOWNLOAD +LEFT +NEXT UPLOAD +LEFT +LAST DOWNLOAD +LAST UPLOAD$/m,
	);
	await agreeWithStatus(terminal, setup.db);
	t.regex(terminal.screen(), /^STORE1 +running .* No data \d+[smh] ago/m);
	t.false(terminal.screen().includes("hidden:"));

	terminal.type("p");
	await terminal.waitFor("selected STORE2");
	terminal.press("Enter");
	// The detail's first frame has the panel's lines; the next has the whole screen.
	await terminal.waitFor(/Last sessions|No sessions yet/);
	const detail = terminal.screen();
	t.regex(detail, /STORE2 · profile QUICK · running · pid \d+ on \S+, up /);
	t.regex(detail, /Next 24 hours +[↓↑↕·]{24,}/);
	t.regex(detail, /Last download +No data/);
	t.regex(detail, /Database +sqlite · \S+channel-database\.sqlite/);
	t.regex(detail, /Watermarks +(GROUP-A 0|nothing applied yet)/);
	terminal.press("Escape");
	await terminal.waitFor("selected STORE2");
	t.false(terminal.screen().includes("Next downloads"));

	const watching = startTerminal(160, 45);
	t.teardown(watching.close);
	watching.run(`node ${cdxBin} status --watch --db ${setup.db}`);
	await watching.waitFor(/^STORE2 +running/m, 20_000);
	// Three refreshes later there is still one table on the screen.
	await pause(3500);
	const shown = watching.screen();
	t.is(shown.split("CHANNEL DB").length, 2, shown);
	t.regex(shown, /^STORE1 +running/m);
});

/** When the channel database's client last downloaded, as `cdx status --json` says. */
function lastDownloadAt(db: string, name: string): string | null {
	const rows = JSON.parse(runCdx(["status", "--json", "--db", db]).stdout) as {
		channelDatabase: string;
		lastDownload: { at: string } | null;
	}[];
	return (
		rows.find((row) => row.channelDatabase === name)?.lastDownload?.at ?? null
	);
}
