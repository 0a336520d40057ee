import type { AsyncServerProfile, ChannelDatabase } from "./configuration.js";
import {
	type DirectionSchedule,
	nextRuns,
	spreadOffsetSeconds,
} from "./schedule.js";
import { remember } from "./schedule-units.js";

export type Direction = "download" | "upload";

/**
 * When a channel database's Async Client runs one direction: the profile's
 * cron expression in its time zone when one is set, else its interval, with
 * the database's stable offset when it spreads load. The TUI and the client
 * both use this, so they always agree.
 */
export function scheduleFor(
	profile: AsyncServerProfile,
	database: Pick<ChannelDatabase, "name" | "spreadLoad">,
	direction: Direction,
): DirectionSchedule {
	const cron =
		direction === "download" ? profile.downloadCron : profile.uploadCron;
	if (cron !== "")
		return { mode: "cron", expression: cron, timeZone: profile.timeZone };
	const intervalMinutes =
		direction === "download"
			? profile.downloadIntervalMinutes
			: profile.uploadIntervalMinutes;
	return {
		mode: "interval",
		intervalMinutes,
		offsetSeconds: database.spreadLoad
			? spreadOffsetSeconds(database.name, intervalMinutes)
			: 0,
	};
}

const runTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Local clock time in a time zone, as an operator reads it: "Thu 08:45". */
export function formatRunTime(at: Date, timeZone: string): string {
	return remember(
		runTimeFormats,
		timeZone,
		() =>
			new Intl.DateTimeFormat("en-GB", {
				timeZone,
				weekday: "short",
				hour: "2-digit",
				minute: "2-digit",
				hourCycle: "h23",
			}),
	).format(at);
}

/**
 * What the profile form shows as the operator types: the next `count` runs
 * of each direction in the profile's time zone, or null where the draft
 * does not give a schedule yet. Channel databases that spread load run
 * later within each interval.
 */
export function schedulePreview(
	draft: Record<string, string>,
	now: Date,
	count = 5,
): { timeZone: string; download: string[] | null; upload: string[] | null } {
	const timeZone = (draft.timeZone ?? "").trim() || "UTC";
	const runs = (direction: Direction): string[] | null => {
		const cron =
			(direction === "download"
				? draft.downloadCron
				: draft.uploadCron
			)?.trim() ?? "";
		const interval =
			(direction === "download"
				? draft.downloadIntervalMinutes
				: draft.uploadIntervalMinutes
			)?.trim() ?? "";
		if (cron === "" && !/^[0-9]+$/.test(interval)) return null;
		const schedule: DirectionSchedule =
			cron === ""
				? { mode: "interval", intervalMinutes: Number(interval) }
				: { mode: "cron", expression: cron, timeZone };
		try {
			return nextRuns(schedule, now, count).map((at) =>
				formatRunTime(at, timeZone),
			);
		} catch {
			return null;
		}
	};
	return { timeZone, download: runs("download"), upload: runs("upload") };
}

/**
 * One direction of a profile as it runs, for lists: "every 15 min", or
 * "cron 0 8-22 * * 1-6 (Europe/Berlin)" when a cron expression replaces
 * the interval. Takes the draft, so lists and CLI tables read what forms show.
 */
export function scheduleSummary(
	draft: Record<string, string>,
	direction: Direction,
): string {
	const cron =
		(direction === "download"
			? draft.downloadCron
			: draft.uploadCron
		)?.trim() ?? "";
	if (cron !== "") {
		const timeZone = (draft.timeZone ?? "").trim() || "UTC";
		return `cron ${cron} (${timeZone})`;
	}
	const interval =
		(direction === "download"
			? draft.downloadIntervalMinutes
			: draft.uploadIntervalMinutes
		)?.trim() ?? "";
	return interval === "" ? "—" : `every ${interval} min`;
}

/** A stored profile's two schedules on one line, for pick lists: "↓ every 15 min · ↑ every 30 min". */
export function profileScheduleLine(profile: AsyncServerProfile): string {
	const draft = {
		downloadIntervalMinutes: String(profile.downloadIntervalMinutes),
		uploadIntervalMinutes: String(profile.uploadIntervalMinutes),
		downloadCron: profile.downloadCron,
		uploadCron: profile.uploadCron,
		timeZone: profile.timeZone,
	};
	return `↓ ${scheduleSummary(draft, "download")} · ↑ ${scheduleSummary(draft, "upload")}`;
}
