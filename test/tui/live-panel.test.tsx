import "../helpers/force-colour.js";
import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import type {
	ClientState,
	RequestAction,
	RequestAnswer,
} from "../../source/domain/client-state.js";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	clientState,
	interval,
	look,
	panelApp,
	start,
	writeState,
} from "../helpers/panel-app.js";
import { keys, type RenderedApp } from "../helpers/render-app.js";
import { withoutStyles } from "../helpers/sgr.js";

/** A client's answer refusing a request, as of `start`. */
function refusal(
	request: string,
	action: RequestAction,
	message: string,
): RequestAnswer {
	return { request, action, answeredAt: start, ok: false, message };
}

/** The client's state file answers with a refusal: the status line shows `shown`, in red. */
async function refusedAndShown(
	t: ExecutionContext,
	app: RenderedApp,
	path: string,
	answer: RequestAnswer,
	shown: string,
) {
	await writeState(path, clientState({ answers: [answer] }));
	await app.waitFor(shown);
	t.deepEqual(look(app).styles(shown), ["red"]);
}

test.serial(
	"the panel is a headed table; without a client it shows the profile's times, dim and marked ≈, and how to start it",
	async (t) => {
		const { app, panel } = await panelApp(t);
		await app.waitFor("STORE-1");
		t.regex(
			panel.text(),
			/CHANNEL DB\s+STATUS\s+NEXT DOWNLOAD\s+LEFT\s+NEXT UPLOAD\s+LEFT/,
		);
		t.regex(
			panel.text(),
			/STORE-1\s+not started\s+≈Thu 08:15\s+≈8m\s+≈Thu 08:30\s+≈23m/,
		);
		t.deepEqual(panel.styles("not started"), ["dim"]);
		t.deepEqual(panel.styles("≈Thu 08:15"), ["dim"]);
		t.true(
			panel
				.text()
				.includes("no client running: cdx client --channel-db STORE-1"),
		);
	},
);

test.serial(
	"LEFT counts down every second for a running client, in whole minutes for expected times",
	async (t) => {
		const { app, path, clock } = await panelApp(t, { state: clientState() });
		await app.waitFor(/STORE-1\s+running\s+Thu 08:15\s+8m 00s/);
		clock.advance(1000);
		await app.waitFor("7m 59s");
		// A heartbeat for the time about to pass, so the client stays running.
		const later = new Date(Date.parse(start) + 7 * 60_000 + 20_000);
		await writeState(path, clientState({ heartbeatAt: later.toISOString() }));
		clock.advance(7 * 60_000 + 19_000);
		await app.waitFor(/Thu 08:15\s+40s\s+Thu 08:30\s+15m 40s/);
		// The client stops: its times become the expected ones, counted in minutes.
		await writeState(
			path,
			clientState({ stoppedAt: new Date(clock.now()).toISOString() }),
		);
		await app.waitFor(
			/STORE-1\s+stopped\s+≈Thu 08:15\s+≈1m\s+≈Thu 08:30\s+≈16m/,
		);
		clock.advance(41_000);
		await app.waitFor(/≈Thu 08:30\s+≈15m/);
		t.notRegex(withoutStyles(app.screen()), /≈\d+m \d\ds/);
	},
);

test.serial(
	"a running client's own times and last download are shown, its status green; the header says which columns the width hides",
	async (t) => {
		const { app } = await panelApp(t, {
			state: clientState({ nextDownloadAt: "2026-11-26T08:16:40.000Z" }),
		});
		const panel = look(app);
		await app.waitFor(/STORE-1\s+running\s+Thu 08:16\s+9m 40s/);
		t.deepEqual(panel.styles("running"), ["green"]);
		t.deepEqual(panel.styles("Thu 08:16"), []);
		// 100 columns have room for the last download, not for the last upload: the header says so.
		t.regex(panel.text(), /LAST DOWNLOAD\n.*Applied 6m ago · 2 pkg 1,204 rows/);
		t.true(panel.text().includes("hidden: LAST UPLOAD"));
		t.false(panel.text().includes("cdx client --channel-db"));
	},
);

test.serial(
	"a client whose heartbeat stopped while its process lives is stale, in yellow",
	async (t) => {
		const { app } = await panelApp(t, {
			state: clientState({ heartbeatAt: "2026-11-26T08:06:30.000Z" }),
		});
		await app.waitFor(/STORE-1\s+stale\s/);
		t.deepEqual(look(app).styles("stale"), ["yellow"]);
		t.false(withoutStyles(app.screen()).includes("running"));
	},
);

test.serial(
	"a client killed is shown crashed, in red, before its heartbeat is even old",
	async (t) => {
		const child = spawn(process.execPath, [
			"-e",
			"setInterval(() => {}, 1000)",
		]);
		t.teardown(() => child.kill("SIGKILL"));
		const exited = new Promise((resolve) => child.once("exit", resolve));
		// The manual clock never moves: the heartbeat stays fresh, only the pid tells.
		const { app } = await panelApp(t, {
			state: clientState({ pid: child.pid ?? 0 }),
		});
		await app.waitFor(/STORE-1\s+running/);
		child.kill("SIGKILL");
		await exited;
		await app.waitFor(/STORE-1\s+✗ crashed/);
		t.deepEqual(look(app).styles("✗ crashed"), ["red"]);
		t.false(withoutStyles(app.screen()).includes("stopped"));
	},
);

test.serial(
	"a client that stopped cleanly is shown stopped, dim, with expected times",
	async (t) => {
		const { app } = await panelApp(t, {
			state: clientState({ stoppedAt: "2026-11-26T08:06:00.000Z" }),
		});
		await app.waitFor(/STORE-1\s+stopped\s+≈Thu 08:15/);
		t.deepEqual(look(app).styles("stopped"), ["dim"]);
		t.true(
			withoutStyles(app.screen()).includes(
				"no client running: cdx client --channel-db STORE-1",
			),
		);
	},
);

test.serial(
	"a client waiting for a package says which, in yellow, and why",
	async (t) => {
		const { app } = await panelApp(t, {
			state: {
				...clientState(),
				waitingFor: {
					sequence: 12,
					since: "2026-11-26T08:03:00.000Z",
					reason: "0000000012.package.json is not in the download folder",
				},
			} as ClientState,
		});
		await app.waitFor("waiting for package 12");
		t.deepEqual(look(app).styles("waiting for package 12"), ["yellow"]);
		t.true(
			withoutStyles(app.screen()).includes(
				"waits for package 12: 0000000012.package.json is not in the download folder",
			),
		);
	},
);

test.serial(
	"a waitingFor of another shape is read as none, and the state still shows",
	async (t) => {
		const { app } = await panelApp(t, {
			state: {
				...clientState(),
				waitingFor: { sequence: "twelve" },
			} as unknown as ClientState,
		});
		await app.waitFor(/STORE-1\s+running/);
		t.false(withoutStyles(app.screen()).includes("waiting"));
	},
);

test.serial(
	"a current download shows its packages on the row instead of a plain running",
	async (t) => {
		const { app } = await panelApp(t, {
			state: clientState({
				currentRun: {
					direction: "download",
					startedAt: "2026-11-26T08:06:58.000Z",
					step: "applying 0000000003.package.json",
					done: 3,
					total: 10,
				},
			}),
		});
		await app.waitFor("↓ 3/10 packages");
		t.deepEqual(look(app).styles("↓ 3/10 packages"), ["green"]);
	},
);

test.serial(
	"a state file caught mid-write keeps the last good state and says it is unreadable, in red",
	async (t) => {
		const { app, path } = await panelApp(t, { state: clientState() });
		await app.waitFor(/STORE-1\s+running/);
		await writeState(path, '{"formatVersion": 1, "pid": 12');
		await app.waitFor("state file unreadable");
		t.regex(withoutStyles(app.screen()), /STORE-1\s+⚠ running\s+Thu 08:15/);
		t.deepEqual(look(app).styles("⚠ running"), ["red"]);
	},
);

async function editProfile(
	path: string,
	now: () => Date,
	change: Record<string, string>,
) {
	const store = await ConfigurationStore.open(path, { now });
	const profile = store.getSnapshot().configuration.profiles[0];
	if (!profile) throw new Error("fixture missing");
	const saved = await store.save(
		profileKind,
		{
			...profileKind.toDraft(profile, store.getSnapshot().configuration),
			...change,
		},
		{ id: profile.id, expectedVersion: profile.version },
	);
	if (!saved.ok) throw new Error("edit refused");
}

test.serial(
	"after a schedule edit the panel says rescheduling… in yellow until the client confirms the new schedule",
	async (t) => {
		const { app, path, clock } = await panelApp(t, { state: clientState() });
		await app.waitFor(/STORE-1\s+running/);
		await editProfile(path, clock.now, { downloadIntervalMinutes: "5" });
		await app.waitFor("rescheduling…");
		t.deepEqual(look(app).styles("rescheduling…"), ["yellow"]);
		await writeState(
			path,
			clientState({
				nextDownloadAt: "2026-11-26T08:10:00.000Z",
				scheduleChangedAt: start,
				schedules: { download: interval(5), upload: interval(30) },
			}),
		);
		await app.waitFor(/STORE-1\s+running\s+Thu 08:10\s+3m 00s/);
		t.false(withoutStyles(app.screen()).includes("rescheduling"));
	},
);

test.serial(
	"an edit that leaves the schedule alone (a description) never shows rescheduling…",
	async (t) => {
		const { app, path, clock } = await panelApp(t, { state: clientState() });
		await app.waitFor(/STORE-1\s+running/);
		const frames: string[] = [];
		const watching = setInterval(() => frames.push(app.screen()), 5);
		t.teardown(() => clearInterval(watching));
		await editProfile(path, clock.now, { description: "Most stores" });
		// The panel has the edit once its title counts the saved record again; let it render a few ticks.
		for (let tick = 0; tick < 3; tick += 1) {
			clock.advance(1000);
			await app.waitFor(/STORE-1\s+running/);
		}
		clearInterval(watching);
		t.false(frames.some((frame) => frame.includes("rescheduling")));
	},
);

test.serial(
	"a schedule edit the client never confirms stops saying rescheduling… after a few seconds and says so instead",
	async (t) => {
		const { app, path, clock } = await panelApp(t, { state: clientState() });
		await app.waitFor(/STORE-1\s+running/);
		await editProfile(path, clock.now, { downloadIntervalMinutes: "5" });
		await app.waitFor("rescheduling…");
		clock.advance(6000);
		await app.waitFor("has not taken the edited schedule");
		t.false(withoutStyles(app.screen()).includes("rescheduling"));
	},
);

test.serial(
	"p focuses the panel; D asks the highlighted client to download now",
	async (t) => {
		const asked: string[] = [];
		const { app } = await panelApp(t, {
			runNow: async (channelDatabase, direction) => {
				asked.push(`${channelDatabase} ${direction}`);
				return "request-1";
			},
		});
		await app.waitFor("STORE-1");
		await app.press("p");
		await app.waitFor("D download now");
		t.true(withoutStyles(app.screen()).includes("selected STORE-1"));
		await app.press("D");
		await app.waitFor(
			"STORE-1's client is not running: it will download when started",
		);
		t.deepEqual(asked, ["STORE-1 download"]);
		await app.press(keys.escape);
		await app.waitFor("p panel");
	},
);

test.serial(
	"the selection stays on its client when the rows re-sort, and D asks that client",
	async (t) => {
		const asked: string[] = [];
		const { app, path } = await panelApp(t, {
			stores: ["STORE-2"],
			state: clientState({ nextDownloadAt: "2026-11-26T08:10:00.000Z" }),
			states: {
				"STORE-2": clientState({
					channelDatabase: "STORE-2",
					nextDownloadAt: "2026-11-26T08:12:00.000Z",
				}),
			},
			runNow: async (channelDatabase, direction) => {
				asked.push(`${channelDatabase} ${direction}`);
				return "request-1";
			},
		});
		await app.waitFor(/STORE-1\s+running[^\n]*\n[^\n]*STORE-2\s+running/);
		await app.press("p", keys.down);
		await app.waitFor("selected STORE-2");
		// STORE-2 now runs first: its row moves to the top, and stays selected.
		await writeState(
			path,
			clientState({
				channelDatabase: "STORE-2",
				nextDownloadAt: "2026-11-26T08:08:00.000Z",
			}),
			"STORE-2",
		);
		await app.waitFor(/STORE-2\s+running[^\n]*\n[^\n]*STORE-1\s+running/);
		t.true(withoutStyles(app.screen()).includes("selected STORE-2"));
		t.deepEqual(look(app).styles("STORE-2  "), ["inverse"]);
		await app.press("D");
		await app.waitFor("Asked STORE-2's client to download now");
		t.deepEqual(asked, ["STORE-2 download"]);
	},
);

test.serial(
	"a run-now comes back: asked first, then the client's answer; a refusal in red",
	async (t) => {
		const { app, path } = await panelApp(t, {
			state: clientState(),
			runNow: async () => "request-7",
		});
		await app.waitFor(/STORE-1\s+running/);
		await app.press("p", "U");
		await app.waitFor("Asked STORE-1's client to upload now");
		await refusedAndShown(
			t,
			app,
			path,
			refusal(
				"request-7",
				"run-now",
				"the upload failed: the upload working folder is not there",
			),
			"STORE-1's client refused: the upload failed: the upload working folder is not there",
		);
	},
);

test.serial(
	"Enter opens the client's detail; Esc comes back to the panel with the same client selected",
	async (t) => {
		const { app } = await panelApp(t, {
			stores: ["STORE-2"],
			state: clientState(),
		});
		await app.waitFor(/STORE-1\s+running/);
		await app.press("p", keys.down);
		await app.waitFor("selected STORE-2");
		await app.press(keys.enter);
		await app.waitFor("Next downloads");
		const detail = withoutStyles(app.screen());
		t.true(detail.includes("STORE-2 · profile P1 · not started"));
		t.true(
			detail.includes(
				"Thu 08:15, 08:30, 08:45, 09:00, 09:15, 09:30, 09:45, 10:00, 10:15, 10:30",
			),
		);
		t.regex(detail, /Next 24 hours\s+[↓↑↕·]{24,}/);
		t.true(detail.includes("no client has run here"));
		await app.press(keys.escape);
		await app.waitFor("selected STORE-2");
		t.false(withoutStyles(app.screen()).includes("Next downloads"));
	},
);

test.serial(
	"with colours off (NO_COLOR) the panel has none, and the words still say it all",
	async (t) => {
		const { app } = await panelApp(t, {
			state: clientState({ heartbeatAt: "2026-11-26T08:06:30.000Z" }),
			colors: false,
		});
		await app.waitFor(/STORE-1\s+stale/);
		t.deepEqual(look(app).styles("stale"), []);
	},
);

test.serial(
	"a refused retry comes back on the status line in red, with the client's reason",
	async (t) => {
		const { app, path } = await panelApp(t, { state: clientState() });
		const stateFolder = join(dirname(path), "state");
		const failed = {
			id: "download:DG1:2:0",
			direction: "download",
			package: "/srv/cdx/download/DG1/0000000002.package.json",
			sequence: 2,
			tries: 1,
			rows: 0,
			startedAt: "2026-11-26T08:00:00.000Z",
			finishedAt: "2026-11-26T08:00:01.000Z",
			error: "signature does not match; set aside in quarantine/",
			at: "2026-11-26T08:00:01.000Z",
			status: "Download failed",
		};
		await writeFile(
			join(stateFolder, "STORE-1.sessions.jsonl"),
			`${JSON.stringify(failed)}\n`,
		);
		await app.press(":");
		await app.type("download sessions");
		await app.press(keys.enter);
		await app.waitFor("Download failed");
		await app.press("r");
		await app.waitFor("Asked STORE-1's client to retry");
		const [requestFile] = (await readdir(stateFolder)).filter((name) =>
			name.includes(".session-request."),
		);
		const { id } = JSON.parse(
			await readFile(join(stateFolder, requestFile ?? ""), "utf8"),
		) as { id: string };
		await refusedAndShown(
			t,
			app,
			path,
			refusal(
				id,
				"retry",
				"retry refused: 0000000002.package.json is not in /srv/cdx/download/DG1 (set aside in quarantine/, or removed); put it back there to retry it",
			),
			"STORE-1's client refused: retry refused: 0000000002.package.json is not in",
		);
	},
);

test.serial(
	"the panel's title counts one channel database in the singular",
	async (t) => {
		const { app } = await panelApp(t);
		await app.waitFor(/─ Async Clients · 1 channel database ─/);
		t.pass();
	},
);

test.serial(
	"when the selected client's record is deleted, the selection goes to the client now in its place",
	async (t) => {
		const { app, path } = await panelApp(t, { stores: ["STORE-2", "STORE-3"] });
		await app.waitFor("3 channel databases");
		await app.press("p", keys.down);
		await app.waitFor("selected STORE-2");
		const store = await ConfigurationStore.open(path);
		const record = store
			.getSnapshot()
			.configuration.channelDatabases.find(
				(database) => database.name === "STORE-2",
			);
		if (!record) throw new Error("fixture missing");
		const removed = await store.remove(channelDatabaseKind, {
			id: record.id,
			expectedVersion: record.version,
		});
		t.true(removed.ok);
		await app.waitFor("2 channel databases");
		t.true(withoutStyles(app.screen()).includes("selected STORE-3"));
	},
);
