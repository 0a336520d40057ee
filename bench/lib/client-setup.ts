import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { clientPaths } from "../../source/client/client-paths.js";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import {
	type ClientState,
	parseClientState,
} from "../../source/domain/client-state.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import { profileKind } from "../../source/domain/profile.js";
import { describeRefusal } from "../../source/domain/record-changes.js";
import type { Draft } from "../../source/domain/record-kind.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { tempFolder } from "./fixtures.js";
import { cdxBin } from "./paths.js";
import { pause } from "./stats.js";

type SavableKind = Parameters<ConfigurationStore["save"]>[0];

async function saved(
	store: ConfigurationStore,
	kind: SavableKind,
	draft: Draft,
): Promise<void> {
	const outcome = await store.save(kind, { ...kind.emptyDraft(), ...draft });
	if (!outcome.ok)
		throw new Error(`bench setup refused: ${describeRefusal(outcome)}`);
}

export type ClientSetup = {
	db: string;
	store: ConfigurationStore;
	/** The channel database the client runs for. */
	channelDatabase: string;
	profile: string;
	downloadPath: string;
	uploadPath: string;
	dataGroup: string;
};

/**
 * A channel database an Async Client can run for, saved as an operator
 * would (working folders that exist, a data group, a profile, a password
 * the store encrypts), in `db` (created when missing, or added to the large
 * fixture).
 */
export async function addClientDatabase(
	db: string,
	{
		name = "LIVE-1",
		downloadIntervalMinutes = 1440,
		uploadIntervalMinutes = 1440,
	}: {
		name?: string;
		downloadIntervalMinutes?: number;
		uploadIntervalMinutes?: number;
	} = {},
): Promise<ClientSetup> {
	const root = dirname(db);
	const downloadPath = join(root, "hq", "download");
	const uploadPath = join(root, "hq", "upload");
	await mkdir(downloadPath, { recursive: true });
	await mkdir(uploadPath, { recursive: true });
	const store = await ConfigurationStore.open(db, { author: "bench@setup" });
	const profile = `${name}-PROFILE`;
	const dataGroup = `${name}-GROUP`;
	await saved(store, workingFoldersKind, {
		name: `${name}-FOLDERS`,
		downloadPath,
		uploadPath,
	});
	await saved(store, dataGroupKind, {
		name: dataGroup,
		workingFolders: `${name}-FOLDERS`,
	});
	await saved(store, profileKind, {
		name: profile,
		downloadIntervalMinutes: String(downloadIntervalMinutes),
		uploadIntervalMinutes: String(uploadIntervalMinutes),
	});
	await saved(store, channelDatabaseKind, {
		name,
		dataGroup,
		userName: `user-${name}`,
		password: `bench password of ${name}`,
		profile,
		channels: `C-${name}`,
	});
	return {
		db,
		store,
		channelDatabase: name,
		profile,
		downloadPath,
		uploadPath,
		dataGroup,
	};
}

/** A fresh store with only what one client needs. */
export async function makeClientSetup(
	options: Parameters<typeof addClientDatabase>[1] = {},
): Promise<ClientSetup> {
	return addClientDatabase(
		join(await tempFolder("client"), "db.json"),
		options,
	);
}

export type RunningClient = {
	child: ChildProcess;
	stderr: () => string;
	exited: Promise<void>;
	stop: () => Promise<void>;
};

/**
 * `cdx client --channel-db NAME` as its own process: node options first
 * (e.g. --cpu-prof), another build of cdx, or more client options.
 */
export function startClient(
	setup: Pick<ClientSetup, "db" | "channelDatabase">,
	nodeOptions: string[] = [],
	{ bin = cdxBin, extra = [] }: { bin?: string; extra?: string[] } = {},
): RunningClient {
	const child = spawn(
		process.execPath,
		[
			...nodeOptions,
			bin,
			"client",
			"--channel-db",
			setup.channelDatabase,
			"--db",
			setup.db,
			...extra,
		],
		{ stdio: ["ignore", "ignore", "pipe"] },
	);
	let stderr = "";
	child.stderr?.setEncoding("utf8");
	child.stderr?.on("data", (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<void>((resolve) =>
		child.on("close", () => resolve()),
	);
	process.on("exit", () => child.kill("SIGKILL"));
	return {
		child,
		stderr: () => stderr,
		exited,
		stop: async () => {
			child.kill("SIGTERM");
			await exited;
		},
	};
}

/** The client files of the channel database named `name` (named by its record id). */
export function pathsOf(setup: Pick<ClientSetup, "db">, name: string) {
	const document = JSON.parse(readFileSync(setup.db, "utf8")) as {
		channelDatabases: { id: string; name: string }[];
	};
	const record = document.channelDatabases.find(
		(candidate) => candidate.name === name,
	);
	if (record === undefined) throw new Error(`no channel database ${name}`);
	return clientPaths(setup.db, record);
}

export async function readState(
	setup: Pick<ClientSetup, "db" | "channelDatabase">,
): Promise<ClientState | null> {
	try {
		const parsed = parseClientState(
			await readFile(pathsOf(setup, setup.channelDatabase).stateFile, "utf8"),
		);
		return parsed.ok ? parsed.state : null;
	} catch {
		return null;
	}
}

/** Polls the client's state file every `everyMs` until `done` holds. */
export async function waitForState(
	setup: Pick<ClientSetup, "db" | "channelDatabase">,
	done: (state: ClientState) => boolean,
	{
		timeoutMs = 30_000,
		everyMs = 5,
		what = "the client's state",
	}: { timeoutMs?: number; everyMs?: number; what?: string } = {},
): Promise<ClientState> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const state = await readState(setup);
		if (state !== null && done(state)) return state;
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify(state)}`,
			);
		await pause(everyMs);
	}
}

/**
 * Starts the set-up's client and waits until it made its start-up runs and
 * waits for its next: the quiet client the cases measure beside.
 */
export async function startIdleClient(
	setup: Pick<ClientSetup, "db" | "channelDatabase">,
): Promise<RunningClient> {
	const client = startClient(setup);
	await waitForState(
		setup,
		(state) =>
			state.pid === client.child.pid &&
			state.currentRun === null &&
			state.lastDownload !== null &&
			state.lastUpload !== null &&
			Date.parse(state.lastDownload.startedAt) >= Date.parse(state.startedAt) &&
			Date.parse(state.lastUpload.startedAt) >= Date.parse(state.startedAt),
		{ what: `client ${setup.channelDatabase} to be running and idle` },
	);
	return client;
}
