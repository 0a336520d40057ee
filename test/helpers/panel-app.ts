import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import type { ExecutionContext } from "ava";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import type { ClientState } from "../../source/domain/client-state.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { makeTempDatabasePath, seedChannelIntegration } from "./database.js";
import { manualClock } from "./manual-clock.js";
import { renderApp } from "./render-app.js";
import { stylesBefore, withoutStyles } from "./sgr.js";

/*
 * The live panel's fixtures: the seeded store (STORE-1 on profile P1, an
 * interval of 15/30 minutes), client state files as a running client
 * writes them, and the app on a manual clock at `start`.
 */

// A Thursday.
export const start = "2026-11-26T08:07:00.000Z";
export const interval = (minutes: number, offsetSeconds = 0) => ({
	mode: "interval" as const,
	intervalMinutes: minutes,
	offsetSeconds,
});

export async function seeded(
	now = () => new Date("2026-11-26T08:00:00Z"),
): Promise<string> {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path, { now }));
	return path;
}

export function clientState(fields: Partial<ClientState> = {}): ClientState {
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
			rows: 1204,
			message: null,
		},
		lastUpload: null,
		configProblem: null,
		scheduleChangedAt: "2026-11-26T08:05:00.000Z",
		schedules: { download: interval(15), upload: interval(30) },
		answers: [],
		...fields,
	};
}

export async function writeState(
	databasePath: string,
	state: ClientState | string,
	name = "STORE-1",
) {
	const file = join(dirname(databasePath), "state", `${name}.json`);
	await mkdir(dirname(file), { recursive: true });
	await writeFile(
		file,
		typeof state === "string" ? state : JSON.stringify(state),
	);
}

/** The app's frame as a person reads it, and the styles of one cell. */
export function look(app: { screen: () => string }) {
	return {
		text: () => withoutStyles(app.screen()),
		styles: (cell: string) => stylesBefore(app.screen(), cell),
	};
}

export async function addStore(path: string, name: string) {
	const store = await ConfigurationStore.open(path);
	const saved = await store.save(channelDatabaseKind, {
		...channelDatabaseKind.emptyDraft(),
		name,
		dataGroup: "DG1",
		userName: `user-${name}`,
		password: "s3cret-pass",
		profile: "P1",
	});
	if (!saved.ok) throw new Error("fixture refused");
}

/**
 * The app at `start` on a manual clock, on the seeded database with these
 * extra channel databases, STORE-1's client `state` and other clients'
 * `states` by name written first; unmounted after the test.
 */
export async function panelApp(
	t: ExecutionContext,
	{
		stores = [],
		state,
		states = {},
		...options
	}: {
		stores?: string[];
		state?: ClientState | string;
		states?: Record<string, ClientState>;
	} & Parameters<typeof renderApp>[1] = {},
) {
	const path = await seeded();
	for (const name of stores) await addStore(path, name);
	if (state !== undefined) await writeState(path, state);
	for (const [name, other] of Object.entries(states))
		await writeState(path, other, name);
	const clock = manualClock(start);
	const app = await renderApp(path, { clock, ...options });
	t.teardown(app.unmount);
	return { app, path, clock, panel: look(app) };
}
