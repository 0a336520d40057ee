import {
	type ClientState,
	type CurrentRun,
	clientLiveness,
	type RunSummary,
	type WaitingFor,
} from "./client-state.js";
import type {
	AsyncServerProfile,
	ChannelDatabase,
	Configuration,
} from "./configuration.js";
import { type Direction, scheduleFor } from "./profile-schedule.js";
import { type DirectionSchedule, nextRun } from "./schedule.js";

/** not-started: no state file; stale: the heartbeat stopped without a clean stop. */
export type ClientStatus = "running" | "stale" | "stopped" | "not-started";

/** What is known on disk of one channel database's client. */
export type ObservedClient = {
	/** The last state file that could be read; null when there is none. */
	state: ClientState | null;
	/** Why the state file cannot be read now (mid-write, damaged); the last good state is kept. */
	problem: string | null;
	/** True when the client's pid is known to be gone on this host. */
	processGone: boolean;
};

/** One line of the live panel and of `cdx status`. */
export type ClientStatusRow = {
	channelDatabase: string;
	profile: string | null;
	status: ClientStatus;
	/** True when the times come from a running client; false when computed from the profile. */
	live: boolean;
	/** The configuration changed and the running client has not yet confirmed the new schedule. */
	rescheduling: boolean;
	nextDownloadAt: Date | null;
	nextUploadAt: Date | null;
	currentRun: CurrentRun | null;
	lastDownload: RunSummary | null;
	lastUpload: RunSummary | null;
	/** The download package the client waits for (strict order), or null. */
	waitingFor: WaitingFor | null;
	/** Something the operator should know: an unreadable state file, a configuration problem. */
	problem: string | null;
};

/** The next run a profile gives a channel database, for clients that do not run; null when links are missing. */
export type ExpectedRun = (
	channelDatabase: string,
	direction: Direction,
) => Date | null;

function statusOf(
	observed: ObservedClient | undefined,
	now: Date,
): ClientStatus {
	if (!observed?.state) return "not-started";
	const liveness = clientLiveness(observed.state, now);
	if (liveness === "running" && observed.processGone) return "stopped";
	return liveness;
}

type Lookups = {
	databases: ReadonlyMap<string, ChannelDatabase>;
	profiles: ReadonlyMap<string, AsyncServerProfile>;
};

function lookups(configuration: Configuration): Lookups {
	return {
		databases: new Map(
			configuration.channelDatabases.map((database) => [
				database.name,
				database,
			]),
		),
		profiles: new Map(
			configuration.profiles.map((profile) => [profile.id, profile]),
		),
	};
}

function expectedRunsFrom(
	{ databases, profiles }: Lookups,
	now: Date,
): ExpectedRun {
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
	return (channelDatabase, direction) => {
		const database = databases.get(channelDatabase);
		const profile = database ? profiles.get(database.profileId) : undefined;
		if (!database || !profile) return null;
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

/** One channel database's row: its client's own times when it runs, else the expected ones. */
function statusRow(
	channelDatabase: string,
	{ databases, profiles }: Lookups,
	seen: ObservedClient | undefined,
	now: Date,
	expected: ExpectedRun,
): ClientStatusRow {
	const state = seen?.state ?? null;
	const status = statusOf(seen, now);
	const live = status === "running";
	const database = databases.get(channelDatabase);
	const profile = database ? profiles.get(database.profileId) : undefined;
	// An edit of the database or its profile after the client last took its schedule.
	const rescheduling =
		live &&
		Math.max(
			Date.parse(database?.modifiedAt ?? "") || 0,
			Date.parse(profile?.modifiedAt ?? "") || 0,
		) > (Date.parse(state?.scheduleChangedAt ?? state?.startedAt ?? "") || 0);
	return {
		channelDatabase,
		profile: profile?.name ?? state?.profile ?? null,
		status,
		live,
		rescheduling,
		nextDownloadAt: live
			? parsed(state?.nextDownloadAt ?? null)
			: expected(channelDatabase, "download"),
		nextUploadAt: live
			? parsed(state?.nextUploadAt ?? null)
			: expected(channelDatabase, "upload"),
		currentRun: live ? (state?.currentRun ?? null) : null,
		lastDownload: state?.lastDownload ?? null,
		lastUpload: state?.lastUpload ?? null,
		waitingFor: state?.waitingFor ?? null,
		problem:
			seen?.problem ??
			state?.configProblem ??
			(database ? null : "not in the configuration"),
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
	return (
		soonest(a) - soonest(b) ||
		names.compare(a.channelDatabase, b.channelDatabase)
	);
}

/** Rows in compareRows order; each row's soonest run is worked out once, not at every comparison. */
function inOrder(rows: readonly ClientStatusRow[]): ClientStatusRow[] {
	return rows
		.map((row) => ({ row, at: soonest(row) }))
		.sort(
			(a, b) =>
				a.at - b.at ||
				names.compare(a.row.channelDatabase, b.row.channelDatabase),
		)
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

const namesByConfiguration = new WeakMap<Configuration, Map<string, string>>();

/** Record id → name, worked out once per configuration (the panel asks every second). */
function namesById(configuration: Configuration): Map<string, string> {
	let names = namesByConfiguration.get(configuration);
	if (names === undefined) {
		names = new Map(
			configuration.channelDatabases.map((database) => [
				database.id,
				database.name,
			]),
		);
		namesByConfiguration.set(configuration, names);
	}
	return names;
}

/**
 * Client state files are named by the channel database's record id; rows
 * are by name. A state file whose record is gone keeps the name it last
 * wrote.
 */
export function observedByName(
	configuration: Configuration,
	observed: ReadonlyMap<string, ObservedClient>,
): Map<string, ObservedClient> {
	const names = namesById(configuration);
	const byName = new Map<string, ObservedClient>();
	for (const [key, client] of observed)
		byName.set(names.get(key) ?? client.state?.channelDatabase ?? key, client);
	return byName;
}

/**
 * Every channel database of the configuration and every client with a state
 * file, soonest next run first. A running client's own times are shown; for
 * the others the times the profile would give, marked as not live.
 */
export function clientStatusRows(
	configuration: Configuration,
	observedById: ReadonlyMap<string, ObservedClient>,
	now: Date,
	expected?: ExpectedRun,
): ClientStatusRow[] {
	const observed = observedByName(configuration, observedById);
	const found = lookups(configuration);
	const runs = expected ?? expectedRunsFrom(found, now);
	const all = new Set([...found.databases.keys(), ...observed.keys()]);
	return inOrder(
		[...all].map((name) =>
			statusRow(name, found, observed.get(name), now, runs),
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
	/** Every row, in compareRows order. */
	#rows: ClientStatusRow[] = [];
	/** The rows of databases with a state file, as they are in #rows. */
	#seen: ClientStatusRow[] = [];

	rows(
		configuration: Configuration,
		observedById: ReadonlyMap<string, ObservedClient>,
		now: Date,
	): readonly ClientStatusRow[] {
		const observed = observedByName(configuration, observedById);
		const observedNames = [...observed.keys()].join("\n");
		const expected = this.#expectedRuns(configuration, now);
		const rowOf = (name: string) =>
			statusRow(name, this.#found, observed.get(name), now, expected);
		if (
			configuration !== this.#configuration ||
			observedNames !== this.#observedNames
		) {
			this.#configuration = configuration;
			this.#observedNames = observedNames;
			const all = new Set([
				...this.#found.databases.keys(),
				...observed.keys(),
			]);
			this.#rows = inOrder([...all].map(rowOf));
			this.#seen = this.#rows.filter((row) =>
				observed.has(row.channelDatabase),
			);
			return this.#rows;
		}
		const rows = this.#rows;
		const again = this.#seen.map((row) => row.channelDatabase);
		for (const row of this.#seen) {
			const index = indexInOrder(rows, row);
			if (index >= 0) rows.splice(index, 1);
		}
		const nowMs = now.getTime();
		let passed = 0;
		while (
			passed < rows.length &&
			soonest(rows[passed] as ClientStatusRow) <= nowMs
		)
			passed += 1;
		for (const row of rows.splice(0, passed)) again.push(row.channelDatabase);
		this.#seen = [];
		for (const row of again.map(rowOf)) {
			insertInOrder(rows, row);
			if (observed.has(row.channelDatabase)) this.#seen.push(row);
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
