import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import test from "ava";
import type { ClientState } from "../../source/domain/client-state.js";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	makeTempDatabasePath,
	seedChannelIntegration,
} from "../helpers/database.js";
import { manualClock } from "../helpers/manual-clock.js";
import { keys, renderApp } from "../helpers/render-app.js";

const start = "2026-11-26T08:07:00.000Z";

async function seeded(): Promise<string> {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(
		await ConfigurationStore.open(path, {
			now: () => new Date("2026-11-26T08:00:00Z"),
		}),
	);
	return path;
}

function clientState(fields: Partial<ClientState> = {}): ClientState {
	return {
		formatVersion: 1,
		pid: process.pid,
		host: hostname(),
		startedAt: "2026-11-26T08:05:00.000Z",
		heartbeatAt: start,
		stoppedAt: null,
		channelDatabase: "STORE-1",
		profile: "P1",
		dataGroup: "DG1",
		nextDownloadAt: "2026-11-26T08:15:00.000Z",
		nextUploadAt: "2026-11-26T08:30:00.000Z",
		currentRun: null,
		lastDownload: {
			startedAt: "2026-11-26T08:00:00.000Z",
			at: "2026-11-26T08:00:02.000Z",
			status: "Succeeded",
			packages: 2,
			rows: 40,
			message: null,
		},
		lastUpload: null,
		configProblem: null,
		scheduleChangedAt: "2026-11-26T08:05:00.000Z",
		...fields,
	};
}

async function writeState(databasePath: string, text: string) {
	const file = join(dirname(databasePath), "state", "STORE-1.json");
	await mkdir(dirname(file), { recursive: true });
	await writeFile(file, text);
}

test.serial(
	"without a client the panel shows the times the profile would give, marked expected, and how to start it",
	async (t) => {
		const clock = manualClock(start);
		const app = await renderApp(await seeded(), { clock });
		t.teardown(app.unmount);
		await app.waitFor("STORE-1");
		t.regex(
			app.screen(),
			/STORE-1\s+not started\s+↓≈08:15:00 in 8:00\s+↑≈08:30:00 in 23:00/,
		);
		t.true(
			app
				.screen()
				.includes("no client running: cdx client --channel-db STORE-1"),
		);
	},
);

test.serial("the countdown ticks every second", async (t) => {
	const clock = manualClock(start);
	const app = await renderApp(await seeded(), { clock });
	t.teardown(app.unmount);
	await app.waitFor("↓≈08:15:00 in 8:00");
	clock.advance(1000);
	await app.waitFor("↓≈08:15:00 in 7:59");
	clock.advance(59_000);
	await app.waitFor("↓≈08:15:00 in 7:00");
	t.regex(app.screen(), /↑≈08:30:00 in 22:00/);
});

test.serial(
	"a running client's own times and last runs are shown live",
	async (t) => {
		const path = await seeded();
		await writeState(
			path,
			JSON.stringify(
				clientState({ nextDownloadAt: "2026-11-26T08:16:40.000Z" }),
			),
		);
		const app = await renderApp(path, { clock: manualClock(start) });
		t.teardown(app.unmount);
		await app.waitFor(/STORE-1\s+running\s+↓ 08:16:40 in 9:40/);
		t.true(app.screen().includes("last ↓ 08:00:02 Succeeded 2 pkg 40 rows"));
		t.false(app.screen().includes("start: cdx client"));
	},
);

test.serial("a client whose heartbeat stopped is shown stale", async (t) => {
	const path = await seeded();
	await writeState(
		path,
		JSON.stringify(clientState({ heartbeatAt: "2026-11-26T08:06:30.000Z" })),
	);
	const app = await renderApp(path, { clock: manualClock(start) });
	t.teardown(app.unmount);
	await app.waitFor(/STORE-1\s+stale\s/);
	t.false(app.screen().includes("running"));
});

test.serial(
	"a client that stopped cleanly is shown stopped, with expected times",
	async (t) => {
		const path = await seeded();
		await writeState(
			path,
			JSON.stringify(clientState({ stoppedAt: "2026-11-26T08:06:00.000Z" })),
		);
		const app = await renderApp(path, { clock: manualClock(start) });
		t.teardown(app.unmount);
		await app.waitFor(/STORE-1\s+stopped\s+↓≈08:15:00/);
		t.true(
			app
				.screen()
				.includes("no client running: cdx client --channel-db STORE-1"),
		);
	},
);

test.serial(
	"a state file caught mid-write keeps the last good state and says it is unreadable",
	async (t) => {
		const path = await seeded();
		await writeState(path, JSON.stringify(clientState()));
		const app = await renderApp(path, { clock: manualClock(start) });
		t.teardown(app.unmount);
		await app.waitFor(/STORE-1\s+running/);
		await writeState(path, '{"formatVersion": 1, "pid": 12');
		await app.waitFor("state file unreadable");
		t.regex(app.screen(), /STORE-1\s+running\s+↓ 08:15:00/);
	},
);

test.serial(
	"after an edit of the profile the panel says rescheduling until the client confirms",
	async (t) => {
		const path = await seeded();
		await writeState(path, JSON.stringify(clientState()));
		const app = await renderApp(path, { clock: manualClock(start) });
		t.teardown(app.unmount);
		await app.waitFor(/STORE-1\s+running/);
		const store = await ConfigurationStore.open(path, {
			now: () => new Date("2026-11-26T08:06:50Z"),
		});
		const profile = store.getSnapshot().configuration.profiles[0];
		if (!profile) throw new Error("fixture missing");
		await store.save(
			profileKind,
			{
				...profileKind.toDraft(profile, store.getSnapshot().configuration),
				downloadIntervalMinutes: "5",
			},
			{ id: profile.id, expectedVersion: profile.version },
		);
		await app.waitFor("rescheduling…");
		await writeState(
			path,
			JSON.stringify(
				clientState({
					nextDownloadAt: "2026-11-26T08:10:00.000Z",
					scheduleChangedAt: "2026-11-26T08:06:55.000Z",
				}),
			),
		);
		await app.waitFor(/STORE-1\s+running\s+↓ 08:10:00 in 3:00/);
		t.false(app.screen().includes("rescheduling"));
	},
);

test.serial(
	"p focuses the panel; D asks the highlighted client to download now",
	async (t) => {
		const asked: string[] = [];
		const app = await renderApp(await seeded(), {
			clock: manualClock(start),
			runNow: async (channelDatabase, direction) => {
				asked.push(`${channelDatabase} ${direction}`);
			},
		});
		t.teardown(app.unmount);
		await app.waitFor("STORE-1");
		await app.press("p");
		await app.waitFor("D download now");
		await app.press("D");
		await app.waitFor(
			"STORE-1's client is not running: it will download when started",
		);
		t.deepEqual(asked, ["STORE-1 download"]);
		await app.press(keys.escape);
		await app.waitFor("p panel");
	},
);
