import {
	type ClientState,
	type CurrentRun,
	clientLiveness,
	type RunSummary,
} from "./client-state.js";
import type { Configuration } from "./configuration.js";
import { type Direction, scheduleFor } from "./profile-schedule.js";
import { nextRun } from "./schedule.js";

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

/** Computes expected runs straight from the configuration (no caching). */
export function expectedRuns(
	configuration: Configuration,
	now: Date,
): ExpectedRun {
	const databases = new Map(
		configuration.channelDatabases.map((database) => [database.name, database]),
	);
	const profiles = new Map(
		configuration.profiles.map((profile) => [profile.id, profile]),
	);
	return (channelDatabase, direction) => {
		const database = databases.get(channelDatabase);
		const profile = database ? profiles.get(database.profileId) : undefined;
		if (!database || !profile) return null;
		try {
			return nextRun(scheduleFor(profile, database, direction), now);
		} catch {
			return null;
		}
	};
}

function parsed(at: string | null): Date | null {
	return at === null ? null : new Date(at);
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
	expected: ExpectedRun = expectedRuns(configuration, now),
): ClientStatusRow[] {
	const databases = new Map(
		configuration.channelDatabases.map((database) => [database.name, database]),
	);
	const profiles = new Map(
		configuration.profiles.map((profile) => [profile.id, profile]),
	);
	const names = new Set([...databases.keys(), ...observed.keys()]);
	const rows = [...names].map((channelDatabase): ClientStatusRow => {
		const seen = observed.get(channelDatabase);
		const state = seen?.state ?? null;
		const status = statusOf(seen, now);
		const live = status === "running";
		const database = databases.get(channelDatabase);
		const profile = database ? profiles.get(database.profileId) : undefined;
		// An edit of the database or its profile after the client last took its schedule.
		const editedAt = Math.max(
			Date.parse(database?.modifiedAt ?? "") || 0,
			Date.parse(profile?.modifiedAt ?? "") || 0,
		);
		const confirmedAt =
			Date.parse(state?.scheduleChangedAt ?? state?.startedAt ?? "") || 0;
		return {
			channelDatabase,
			profile: profile?.name ?? state?.profile ?? null,
			status,
			live,
			rescheduling: live && editedAt > confirmedAt,
			nextDownloadAt: live
				? parsed(state?.nextDownloadAt ?? null)
				: expected(channelDatabase, "download"),
			nextUploadAt: live
				? parsed(state?.nextUploadAt ?? null)
				: expected(channelDatabase, "upload"),
			currentRun: live ? (state?.currentRun ?? null) : null,
			lastDownload: state?.lastDownload ?? null,
			lastUpload: state?.lastUpload ?? null,
			problem:
				seen?.problem ??
				state?.configProblem ??
				(database ? null : "not in the configuration"),
		};
	});
	const soonest = (row: ClientStatusRow) =>
		Math.min(
			row.nextDownloadAt?.getTime() ?? Infinity,
			row.nextUploadAt?.getTime() ?? Infinity,
		);
	return rows.sort(
		(a, b) =>
			soonest(a) - soonest(b) ||
			a.channelDatabase.localeCompare(b.channelDatabase),
	);
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
