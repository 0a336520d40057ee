import { readFile } from "node:fs/promises";
import test from "ava";
import type { Configuration } from "../../source/domain/configuration.js";
import { nextRun } from "../../source/domain/schedule.js";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import {
	killLeftoverClients,
	startClient,
	waitForState,
	waitUntilIdle,
} from "../helpers/client-processes.js";
import { makeClientSetup } from "../helpers/client-setup.js";
import { cdxBin, startTerminal } from "../helpers/tmux.js";
import { hangTimeoutMs, pause } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

type PanelRow = { status: string; download: string; upload: string };

/**
 * STORE1's line of the live panel: `STORE1   running   ↓ 08:15:00 in 2:48   ↑ 08:30:00 in 17:48`
 * (a countdown of ten hours or more fills its column up to the ↑).
 */
function panelRow(screen: string): PanelRow | null {
	const found =
		/^STORE1 +(\S.*?) {2,}↓ (\d\d:\d\d:\d\d) in [\d:]+ *↑ (\d\d:\d\d:\d\d) in /m.exec(
			screen,
		);
	if (!found) return null;
	const [, status = "", download = "", upload = ""] = found;
	return { status, download, upload };
}

type Terminal = ReturnType<typeof startTerminal>;

/** Reads the panel every 20 ms until STORE1's line passes `accept`; returns that line. */
async function watchPanel(
	terminal: Terminal,
	accept: (row: PanelRow) => boolean,
	what: () => string,
	timeoutMs = hangTimeoutMs,
): Promise<PanelRow> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = terminal.screen();
		const row = panelRow(screen);
		if (row !== null && accept(row)) return row;
		if (Date.now() > deadline)
			throw new Error(
				`Timed out waiting for ${what()}; the terminal shows:\n${screen}`,
			);
		await pause(20);
	}
}

/** What `cdx status --json` says of STORE1: its next times as the local HH:MM:SS it prints. */
function statusOf(db: string) {
	const run = runCdx(["status", "--json", "--db", db]);
	if (run.status !== 0) throw new Error(`cdx status failed: ${run.stderr}`);
	const rows = JSON.parse(run.stdout) as Array<{
		channelDatabase: string;
		status: string;
		nextDownloadAt: string | null;
		nextUploadAt: string | null;
	}>;
	const row = rows.find((candidate) => candidate.channelDatabase === "STORE1");
	if (!row) throw new Error(`no STORE1 in ${run.stdout}`);
	const clock = (iso: string | null) =>
		/T(\d\d:\d\d:\d\d)/.exec(iso ?? "")?.[1] ?? "none";
	return {
		...row,
		download: clock(row.nextDownloadAt),
		upload: clock(row.nextUploadAt),
	};
}

/**
 * A download interval with no run in the next two minutes, so no scheduled
 * run moves the times while the test compares them.
 */
function quietInterval(now: Date): number {
	const next = (minutes: number) =>
		nextRun({ mode: "interval", intervalMinutes: minutes }, now).getTime();
	const chosen = [5, 7, 11, 13, 17, 19].find(
		(minutes) => next(minutes) > now.getTime() + 120_000,
	);
	if (chosen === undefined) throw new Error("no quiet interval to change to");
	return chosen;
}

test("the live panel shows the running client's next times, follows a saved interval, asks for a run now, and turns stopped when the client is killed", async (t) => {
	// Daily runs (at 00:00 UTC): nothing but the test's own changes moves the times.
	const setup = await makeClientSetup();
	const client = startClient(setup, "STORE1");
	t.teardown(() => client.child.kill("SIGKILL"));
	await waitUntilIdle(setup, "STORE1", client);
	const terminal = startTerminal(80, 24);
	t.teardown(terminal.close);
	terminal.run(`node ${cdxBin} --db ${setup.db}`);
	await terminal.waitFor("q quit");

	// (a) The same next times as cdx status (the panel may take a moment to catch up after start).
	let reported = statusOf(setup.db);
	const before = await watchPanel(
		terminal,
		(row) => {
			reported = statusOf(setup.db);
			return (
				row.status === "running" &&
				reported.status === "running" &&
				row.download === reported.download &&
				row.upload === reported.upload
			);
		},
		() => `the panel to agree with cdx status (${JSON.stringify(reported)})`,
	);

	// (b) A new download interval, saved from the profile form.
	const minutes = quietInterval(new Date());
	terminal.type(":async");
	terminal.press("Enter");
	await terminal.waitFor("› Async Server profile");
	await terminal.waitFor("STORES");
	terminal.press("Enter");
	await terminal.waitFor("Data download interval");
	terminal.press("Tab", "Tab", "End", "BSpace", "BSpace", "BSpace", "BSpace");
	terminal.type(String(minutes));
	terminal.press("C-s");
	const after = await watchPanel(
		terminal,
		(row) => row.status === "running" && row.download !== before.download,
		() => "the panel's next download time to change",
	);
	const changedAt = Date.now();
	const saved = JSON.parse(await readFile(setup.db, "utf8")) as Configuration;
	const profile = saved.profiles.find((record) => record.name === "STORES");
	t.is(profile?.downloadIntervalMinutes, minutes);
	const savedAt = Date.parse(profile?.modifiedAt ?? "");
	const latencyMs = changedAt - savedAt;
	t.log(
		`the panel showed the new next download ${latencyMs} ms after the save (↓ ${before.download} → ${after.download}, interval 1440 → ${minutes} min)`,
	);
	const rescheduled = statusOf(setup.db);
	t.is(after.download, rescheduled.download);
	const nextDownload = Date.parse(rescheduled.nextDownloadAt ?? "");
	t.is(nextDownload % (minutes * 60_000), 0, "on the new interval's grid");
	t.true(nextDownload > savedAt && nextDownload <= savedAt + minutes * 60_000);

	// Run now from the panel reaches the client through its request file.
	await terminal.waitFor('Saved Async Server profile "STORES"');
	terminal.press("Escape");
	// The navigation screen's footer: the list's also holds "Enter/→ open", after
	// "n new"; an Escape not yet read when "p" arrives is read with it as Alt+P.
	await terminal.waitFor(/^Enter\/→ open/m);
	terminal.type("p");
	await terminal.waitFor("D download now");
	const askedAt = Date.now();
	terminal.type("D");
	await terminal.waitFor("Asked STORE1's client to download now");
	await waitForState(
		setup,
		"STORE1",
		(state) => Date.parse(state.lastDownload?.startedAt ?? "") >= askedAt,
		"the download the panel asked for",
	);

	// (c) A killed client: its pid is gone, so the panel says stopped.
	const killedAt = Date.now();
	client.child.kill("SIGKILL");
	await client.exited;
	await terminal.waitFor(/^STORE1 +stopped/m);
	// How soon is `npm run bench`'s business (edit-to-panel); here it is logged.
	t.log(`the panel showed "stopped" ${Date.now() - killedAt} ms after SIGKILL`);
});
