import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { TestFn } from "ava";
import {
	type ClientState,
	parseClientState,
	type RunSummary,
} from "../../source/domain/client-state.js";
import type { Direction } from "../../source/domain/profile-schedule.js";
import {
	parseSessionLog,
	type SessionEvent,
} from "../../source/domain/session-events.js";
import { requestRunNow } from "../../source/store/client-requests.js";
import { buildCdxIfMissing, cdxBin } from "./cdx.js";
import { readStoreTable } from "./channel-rows.js";
import { type ClientSetup, pathsOf } from "./client-setup.js";
import { hangTimeoutMs, waitUntil } from "./wait.js";

export type RunningClient = {
	child: ChildProcess;
	stderr: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Calls `onLine` for each log line as it arrives. */
	onLine: (listener: (line: string) => void) => void;
};

const runningClients = new Set<ChildProcess>();

/** For test.after.always: kills clients a failed test left running, so the test process can exit. */
export function killLeftoverClients(): void {
	for (const child of runningClients) child.kill("SIGKILL");
}

/**
 * The hooks of a test file whose tests start real `cdx client` processes:
 * dist/cdx.js is built first when missing, and clients a failed test left
 * running are killed at the end.
 */
export function startsClientProcesses(test: TestFn): void {
	test.before(() => {
		buildCdxIfMissing();
	});
	test.after.always(killLeftoverClients);
}

export function startClient(
	setup: ClientSetup,
	database: string,
	extra: string[] = [],
): RunningClient {
	const child = spawn(
		process.execPath,
		[cdxBin, "client", "--channel-db", database, "--db", setup.db, ...extra],
		{
			stdio: ["ignore", "ignore", "pipe"],
		},
	);
	runningClients.add(child);
	child.on("exit", () => runningClients.delete(child));
	let stderr = "";
	let pending = "";
	const listeners: Array<(line: string) => void> = [];
	child.stderr?.setEncoding("utf8");
	child.stderr?.on("data", (chunk: string) => {
		stderr += chunk;
		const lines = (pending + chunk).split("\n");
		pending = lines.pop() ?? "";
		for (const line of lines) for (const listener of listeners) listener(line);
	});
	const exited = new Promise<{
		code: number | null;
		signal: NodeJS.Signals | null;
	}>((resolve) =>
		child.on("close", (code, signal) => resolve({ code, signal })),
	);
	return {
		child,
		stderr: () => stderr,
		exited,
		onLine: (listener) => listeners.push(listener),
	};
}

export async function readState(
	setup: ClientSetup,
	database: string,
): Promise<ClientState | null> {
	try {
		const parsed = parseClientState(
			await readFile(pathsOf(setup, database).stateFile, "utf8"),
		);
		return parsed.ok ? parsed.state : null;
	} catch {
		return null;
	}
}

export async function waitForState(
	setup: ClientSetup,
	database: string,
	condition: (state: ClientState) => boolean,
	what: string,
	timeoutMs = hangTimeoutMs,
): Promise<ClientState> {
	let seen: ClientState | null = null;
	await waitUntil(
		async () => {
			seen = await readState(setup, database);
			return seen !== null && condition(seen);
		},
		what,
		timeoutMs,
	);
	return seen as unknown as ClientState;
}

/**
 * Waits until the client in `running` has made its start-up runs (a client
 * that never ran, as in a fresh setup, downloads and uploads at start) and
 * is idle.
 */
export function waitUntilIdle(
	setup: ClientSetup,
	database: string,
	running: RunningClient,
): Promise<ClientState> {
	return waitForState(
		setup,
		database,
		(state) =>
			state.pid === running.child.pid &&
			state.currentRun === null &&
			[state.lastDownload, state.lastUpload].every(
				(last) =>
					last !== null &&
					Date.parse(last.startedAt) >= Date.parse(state.startedAt),
			),
		`client ${database} to be running and idle`,
	);
}

/** Asks for a run as `cdx client run-now` does, and waits for a run that began after the request. */
export async function runNow(
	setup: ClientSetup,
	database: string,
	direction: Direction,
): Promise<RunSummary> {
	const requestedAt = Date.now();
	const paths = pathsOf(setup, database);
	await requestRunNow(paths.stateFolder, paths.fileKey, direction, new Date());
	const last = (state: ClientState) =>
		direction === "download" ? state.lastDownload : state.lastUpload;
	const state = await waitForState(
		setup,
		database,
		(candidate) => {
			const summary = last(candidate);
			return (
				summary !== null &&
				Date.parse(summary.startedAt) >= requestedAt &&
				candidate.currentRun?.direction !== direction
			);
		},
		`a ${direction} run of ${database}`,
	);
	return last(state) as RunSummary;
}

export async function readSessions(
	setup: ClientSetup,
	database: string,
): Promise<SessionEvent[]> {
	const text = await readFile(
		pathsOf(setup, database).sessionLog,
		"utf8",
	).catch(() => "");
	return parseSessionLog(text).sessions;
}

export async function readTable(
	setup: ClientSetup,
	database: string,
	table: string,
): Promise<Record<string, Record<string, unknown>>> {
	return readStoreTable(pathsOf(setup, database).dataFolder, table);
}

/** Stops a client with SIGTERM and returns how it ended. */
export async function stopClient(
	running: RunningClient,
): Promise<{ code: number | null }> {
	running.child.kill("SIGTERM");
	const { code } = await running.exited;
	return { code };
}
