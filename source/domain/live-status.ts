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
import { type Direction, scheduleFor } from "./profile-schedule.js";
import { type DirectionSchedule, nextRun } from "./schedule.js";

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

/** The next run a profile gives a channel database, for clients that do not run; null when links are missing. */
export type ExpectedRun = (
	database: ChannelDatabase,
	direction: Direction,
) => Date | null;

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

type Lookups = {
	databases: ReadonlyMap<string, ChannelDatabase>;
	profiles: ReadonlyMap<string, AsyncServerProfile>;
};

function lookups(configuration: Configuration): Lookups {
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
type Entry = {
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
function entriesOf(
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

/**
 * Expected times are worked out as of the start of the minute: they are
 * shown to the minute, and thousands of rows (spread load gives each its
 * own second) then change order once a minute, not every second.
 */
function expectedAsOf(now: Date): Date {
	return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

function expectedRunsFrom({ profiles }: Lookups, at: Date): ExpectedRun {
	const now = expectedAsOf(at);
	// Thousands of databases can share a cron schedule (every database of a
	// cron profile), and cron is slow: work each one out once. An interval
	// is a division, quicker than looking it up.
	const cronRuns = new Map<string, Date | null>();
	const runOrNull = (schedule: DirectionSchedule) => {
		try {
			return nextRun(schedule, now);
		} catch {
			return null;
		}
	};
	return (database, direction) => {
		const profile = profiles.get(database.profileId);
		if (!profile) return null;
		const schedule = scheduleFor(profile, database, direction);
		if (schedule.mode === "interval") return runOrNull(schedule);
		const key = `${schedule.expression}\u0000${schedule.timeZone}`;
		const known = cronRuns.get(key);
		if (known !== undefined) return known;
		const run = runOrNull(schedule);
		cronRuns.set(key, run);
		return run;
	};
}

/** Computes expected runs straight from the configuration (no caching between calls). */
export function expectedRuns(
	configuration: Configuration,
	now: Date,
): ExpectedRun {
	return expectedRunsFrom(lookups(configuration), now);
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
function statusRow(
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

function soonest(row: ClientStatusRow): number {
	return Math.min(
		row.nextDownloadAt?.getTime() ?? Infinity,
		row.nextUploadAt?.getTime() ?? Infinity,
	);
}

// The same order as localeCompare, without setting up a collator per comparison.
const names = new Intl.Collator();

/** Soonest next run first, then by channel database. */
function compareRows(a: ClientStatusRow, b: ClientStatusRow): number {
	return soonest(a) - soonest(b) || compareNames(a, b);
}

function compareNames(a: ClientStatusRow, b: ClientStatusRow): number {
	return (
		names.compare(a.channelDatabase, b.channelDatabase) ||
		(a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
	);
}

/** Rows in compareRows order; each row's soonest run is worked out once, not at every comparison. */
function inOrder(rows: readonly ClientStatusRow[]): ClientStatusRow[] {
	return rows
		.map((row) => ({ row, at: soonest(row) }))
		.sort((a, b) => a.at - b.at || compareNames(a.row, b.row))
		.map(({ row }) => row);
}

/** Puts `row` in its place in `rows`, which are in compareRows order. */
function insertInOrder(rows: ClientStatusRow[], row: ClientStatusRow): void {
	let low = 0;
	let high = rows.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareRows(rows[middle] as ClientStatusRow, row) <= 0)
			low = middle + 1;
		else high = middle;
	}
	rows.splice(low, 0, row);
}

/** Where `row` itself is in `rows`, which are in compareRows order; -1 when it is not there. */
function indexInOrder(
	rows: readonly ClientStatusRow[],
	row: ClientStatusRow,
): number {
	let low = 0;
	let high = rows.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareRows(rows[middle] as ClientStatusRow, row) < 0) low = middle + 1;
		else high = middle;
	}
	return rows[low] === row ? low : -1;
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
	expected?: ExpectedRun,
): ClientStatusRow[] {
	const found = lookups(configuration);
	const runs = expected ?? expectedRunsFrom(found, now);
	return inOrder(
		entriesOf(found, observed).map((entry) =>
			statusRow(entry, found, observed, now, runs),
		),
	);
}

/**
 * clientStatusRows for a screen that asks every second. With thousands of
 * channel databases, redoing every row each time costs more than the rest
 * of the app; but the row of a database with no state file changes only
 * when one of its next runs passes. The rows are kept in order, in one list
 * changed in place: each call takes out the rows whose run passed and the
 * rows with a state file (few: the clients that ran here), and puts them
 * back worked out afresh. Gives the same rows as clientStatusRows; the list
 * is the table's own and changes at the next call (a new list of ten
 * thousand rows a second was most of the idle panel's garbage).
 */
export class ClientStatusTable {
	#configuration: Configuration | null = null;
	#observedNames = "";
	#found: Lookups = { databases: new Map(), profiles: new Map() };
	#entries = new Map<string, Entry>();
	/** Every row, in compareRows order. */
	#rows: ClientStatusRow[] = [];
	/** The rows of databases with a state file, as they are in #rows. */
	#seen: ClientStatusRow[] = [];

	rows(
		configuration: Configuration,
		observed: ReadonlyMap<string, ObservedClient>,
		now: Date,
	): readonly ClientStatusRow[] {
		const observedNames = [...observed.keys()].join("\n");
		const expected = this.#expectedRuns(configuration, now);
		const rowOf = (entry: Entry) =>
			statusRow(entry, this.#found, observed, now, expected);
		const hasState = (row: ClientStatusRow) =>
			this.#entries.get(row.key)?.observedKey !== undefined;
		if (
			configuration !== this.#configuration ||
			observedNames !== this.#observedNames
		) {
			this.#configuration = configuration;
			this.#observedNames = observedNames;
			const entries = entriesOf(this.#found, observed);
			this.#entries = new Map(entries.map((entry) => [entry.key, entry]));
			this.#rows = inOrder(entries.map(rowOf));
			this.#seen = this.#rows.filter(hasState);
			return this.#rows;
		}
		const rows = this.#rows;
		const again = [...this.#seen];
		for (const row of this.#seen) {
			const index = indexInOrder(rows, row);
			if (index >= 0) rows.splice(index, 1);
		}
		// Every row left is one without a state file: its times move once a minute.
		const nowMs = expectedAsOf(now).getTime();
		let passed = 0;
		while (
			passed < rows.length &&
			soonest(rows[passed] as ClientStatusRow) <= nowMs
		)
			passed += 1;
		again.push(...rows.splice(0, passed));
		this.#seen = [];
		for (const before of again) {
			const entry = this.#entries.get(before.key);
			if (!entry) continue;
			const row = rowOf(entry);
			insertInOrder(rows, row);
			if (hasState(row)) this.#seen.push(row);
		}
		return rows;
	}

	#expectedRuns(configuration: Configuration, now: Date): ExpectedRun {
		if (configuration !== this.#configuration)
			this.#found = lookups(configuration);
		return expectedRunsFrom(this.#found, now);
	}
}

/** ISO 8601 with the local offset, e.g. 2026-11-26T09:15:00+01:00, for scripts and logs. */
export function isoWithOffset(
	at: Date,
	offsetMinutes = -at.getTimezoneOffset(),
): string {
	const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
	const sign = offsetMinutes < 0 ? "-" : "+";
	const absolute = Math.abs(offsetMinutes);
	const offset = `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
	return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

/** "2:48" or "1:02:05": how long until `at`, for a countdown; "now" when it is due. */
export function countdown(at: Date, now: Date): string {
	const seconds = Math.max(
		0,
		Math.round((at.getTime() - now.getTime()) / 1000),
	);
	if (seconds === 0) return "now";
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	const rest = String(seconds % 60).padStart(2, "0");
	return hours > 0
		? `${hours}:${String(minutes).padStart(2, "0")}:${rest}`
		: `${minutes}:${rest}`;
}
