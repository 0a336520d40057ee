import {
	type ChannelStoreFacts,
	type ClientState,
	type CurrentRun,
	type RequestAnswer,
	type RunSummary,
	staleHeartbeatMs,
	type WaitingFor,
	waitingForOf,
} from "./client-state.js";
import type {
	AsyncServerProfile,
	ChannelDatabase,
	Configuration,
} from "./configuration.js";
import { type ExpectedRun, expectedRunsFrom } from "./expected-runs.js";
import { type Direction, scheduleFor } from "./profile-schedule.js";
import type { DirectionSchedule } from "./schedule.js";
import { inOrder } from "./status-row-order.js";

/**
 * not-started: no state file; stale: no heartbeat for a while, the process
 * alive or on another host; crashed: the process is gone without a clean
 * stop; stopped: it stopped cleanly.
 */
export type ClientStatus =
	| "running"
	| "stale"
	| "crashed"
	| "stopped"
	| "not-started";

/** What is known on disk of one channel database's client. */
export type ObservedClient = {
	/** The last state file that could be read; null when there is none. */
	state: ClientState | null;
	/** Why the state file cannot be read now (mid-write, damaged); the last good state is kept. */
	problem: string | null;
	/** True when the client's pid is known to be gone on this host. */
	processGone: boolean;
};

/** The client process a state file names. */
export type ClientProcess = { pid: number; host: string; startedAt: string };

/** One line of the live panel and of `cdx status`. */
export type ClientStatusRow = {
	/** The channel database's record id; for a state file of no record, the file's own name. */
	key: string;
	channelDatabase: string;
	profile: string | null;
	/** The zone the profile reads its times in; its times are shown in it. */
	timeZone: string;
	status: ClientStatus;
	/** True when the times come from a running client; false when computed from the profile. */
	live: boolean;
	/** The schedule was edited and the running client has not yet confirmed it (a few seconds at most). */
	rescheduling: boolean;
	nextDownloadAt: Date | null;
	nextUploadAt: Date | null;
	currentRun: CurrentRun | null;
	/** The package downloads wait for, when a data group's next package is missing or held. */
	waitingFor: WaitingFor | null;
	lastDownload: RunSummary | null;
	lastUpload: RunSummary | null;
	/** Something the operator should know: an unreadable state file, a configuration problem. */
	problem: string | null;
	client: ClientProcess | null;
	/** Its channel database's engine, location and watermarks, as the client last published them. */
	channelStore: ChannelStoreFacts | null;
	/** The client's latest answers to requests. */
	answers: readonly RequestAnswer[];
};
/** How long a schedule edit may wait for the client's confirmation before it is no longer "rescheduling…". */
export const reschedulingWindowMs = 5000;

function statusOf(
	observed: ObservedClient | undefined,
	now: Date,
): ClientStatus {
	const state = observed?.state;
	if (!state) return "not-started";
	if (state.stoppedAt !== null) return "stopped";
	if (observed.processGone) return "crashed";
	const age = now.getTime() - Date.parse(state.heartbeatAt);
	return age > staleHeartbeatMs ? "stale" : "running";
}

/** The configuration's databases and profiles by record id. */
export type Lookups = {
	databases: ReadonlyMap<string, ChannelDatabase>;
	profiles: ReadonlyMap<string, AsyncServerProfile>;
};

export function lookups(configuration: Configuration): Lookups {
	return {
		databases: new Map(
			configuration.channelDatabases.map((database) => [database.id, database]),
		),
		profiles: new Map(
			configuration.profiles.map((profile) => [profile.id, profile]),
		),
	};
}

/** One row to work out: a configured database, a state file, or both. */
export type Entry = {
	key: string;
	database: ChannelDatabase | undefined;
	/** The state file's key in the observed clients. */
	observedKey: string | undefined;
};

/**
 * Pairs databases with state files: a file is named by the database's
 * record id, or (from clients before that) by its name; a file of no
 * database gets a row of its own.
 */
export function entriesOf(
	{ databases }: Lookups,
	observed: ReadonlyMap<string, ObservedClient>,
): Entry[] {
	const claimed = new Set<string>();
	const entries: Entry[] = [];
	for (const database of databases.values()) {
		const observedKey = observed.has(database.id)
			? database.id
			: observed.has(database.name)
				? database.name
				: undefined;
		if (observedKey !== undefined) claimed.add(observedKey);
		entries.push({ key: database.id, database, observedKey });
	}
	for (const key of observed.keys())
		if (!claimed.has(key) && !databases.has(key))
			entries.push({ key, database: undefined, observedKey: key });
	return entries;
}

function parsed(at: string | null): Date | null {
	return at === null ? null : new Date(at);
}

function sameSchedule(a: DirectionSchedule, b: DirectionSchedule): boolean {
	if (a.mode === "interval" && b.mode === "interval")
		return (
			a.intervalMinutes === b.intervalMinutes &&
			(a.offsetSeconds ?? 0) === (b.offsetSeconds ?? 0)
		);
	if (a.mode === "cron" && b.mode === "cron")
		return a.expression === b.expression && a.timeZone === b.timeZone;
	return false;
}

/**
 * Whether the running client has not yet taken the schedule the
 * configuration gives now. Compared on the schedules themselves, so an
 * edit of anything else (a description, a full sync) is no reschedule.
 * A client that does not publish its schedules is judged by the times.
 */
function scheduleUnconfirmed(
	state: ClientState,
	database: ChannelDatabase,
	profile: AsyncServerProfile,
	editedAt: number,
): boolean {
	const running = state.schedules;
	if (running === undefined)
		return (
			editedAt > (Date.parse(state.scheduleChangedAt ?? state.startedAt) || 0)
		);
	return (["download", "upload"] as const).some(
		(direction) =>
			!sameSchedule(
				running[direction],
				scheduleFor(profile, database, direction),
			),
	);
}

/** One channel database's row: its client's own times when it runs, else the expected ones. */
export function statusRow(
	{ key, database, observedKey }: Entry,
	{ profiles }: Lookups,
	observed: ReadonlyMap<string, ObservedClient>,
	now: Date,
	expected: ExpectedRun,
): ClientStatusRow {
	const seen =
		observedKey === undefined ? undefined : observed.get(observedKey);
	const state = seen?.state ?? null;
	const status = statusOf(seen, now);
	const live = status === "running";
	const profile = database ? profiles.get(database.profileId) : undefined;
	const editedAt = Math.max(
		Date.parse(database?.modifiedAt ?? "") || 0,
		Date.parse(profile?.modifiedAt ?? "") || 0,
	);
	const unconfirmed =
		live &&
		state !== null &&
		database !== undefined &&
		profile !== undefined &&
		scheduleUnconfirmed(state, database, profile, editedAt);
	const rescheduling =
		unconfirmed && now.getTime() - editedAt <= reschedulingWindowMs;
	const problem =
		seen?.problem ??
		state?.configProblem ??
		(database === undefined
			? "not in the configuration"
			: profile === undefined
				? "its Async Server profile does not exist"
				: unconfirmed && !rescheduling && state?.schedules !== undefined
					? "the client has not taken the edited schedule; restart it if this stays"
					: null);
	const expectedAt = (direction: Direction) =>
		database ? expected(database, direction) : null;
	return {
		key,
		channelDatabase: database?.name ?? state?.channelDatabase ?? key,
		profile: profile?.name ?? state?.profile ?? null,
		timeZone: profile?.timeZone || "UTC",
		status,
		live,
		rescheduling,
		nextDownloadAt: live
			? parsed(state?.nextDownloadAt ?? null)
			: expectedAt("download"),
		nextUploadAt: live
			? parsed(state?.nextUploadAt ?? null)
			: expectedAt("upload"),
		currentRun: live ? (state?.currentRun ?? null) : null,
		waitingFor: live && state ? waitingForOf(state) : null,
		lastDownload: state?.lastDownload ?? null,
		lastUpload: state?.lastUpload ?? null,
		problem,
		client: state
			? { pid: state.pid, host: state.host, startedAt: state.startedAt }
			: null,
		channelStore: state?.channelStore ?? null,
		answers: state?.answers ?? [],
	};
}

/**
 * Every channel database of the configuration and every client with a state
 * file, soonest next run first. A running client's own times are shown; for
 * the others the times the profile would give, marked as not live.
 */
export function clientStatusRows(
	configuration: Configuration,
	observed: ReadonlyMap<string, ObservedClient>,
	now: Date,
): ClientStatusRow[] {
	const found = lookups(configuration);
	const runs = expectedRunsFrom(found.profiles, now);
	return inOrder(
		entriesOf(found, observed).map((entry) =>
			statusRow(entry, found, observed, now, runs),
		),
	);
}
