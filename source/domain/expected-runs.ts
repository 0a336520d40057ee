import type { AsyncServerProfile, ChannelDatabase } from "./configuration.js";
import { type Direction, scheduleFor } from "./profile-schedule.js";
import { type DirectionSchedule, nextRun } from "./schedule.js";

/** The next run a profile gives a channel database, for clients that do not run; null when links are missing. */
export type ExpectedRun = (
	database: ChannelDatabase,
	direction: Direction,
) => Date | null;

/**
 * Expected times are worked out as of the start of the minute: they are
 * shown to the minute, and thousands of rows (spread load gives each its
 * own second) then change order once a minute, not every second.
 */
export function expectedAsOf(now: Date): Date {
	return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

/** Expected runs of the profiles by id, as of the start of the minute of `at`. */
export function expectedRunsFrom(
	profiles: ReadonlyMap<string, AsyncServerProfile>,
	at: Date,
): ExpectedRun {
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
