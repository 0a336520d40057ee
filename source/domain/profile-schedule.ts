import type { AsyncServerProfile, ChannelDatabase } from "./configuration.js";
import { type DirectionSchedule, spreadOffsetSeconds } from "./schedule.js";

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
