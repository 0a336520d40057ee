import { cronRuns } from "./cron-runs.js";
import { firstIntervalRunMs, intervalRuns } from "./interval-grid.js";

/*
 * When a direction runs next: the same answer in the TUI and the client. The
 * interval grid (interval-grid.ts), cron expressions mapped to instants in an
 * IANA zone (cron-runs.ts), cron-parser's messages reworded
 * (cron-expression.ts) and the spread of stores over an interval
 * (spread-offset.ts) each have a file.
 */
export { cronExpressionProblem } from "./cron-expression.js";
export { timeZoneProblem } from "./cron-runs.js";
export { spreadOffsetSeconds } from "./spread-offset.js";

/** When one direction (download or upload) of an Async Client runs. */
export type DirectionSchedule =
	| { mode: "interval"; intervalMinutes: number; offsetSeconds?: number }
	| { mode: "cron"; expression: string; timeZone: string };

/** The next `count` run times strictly after `now`, earliest first. */
export function nextRuns(
	schedule: DirectionSchedule,
	now: Date,
	count: number,
): Date[] {
	const nowMs = now.getTime();
	if (!Number.isFinite(nowMs)) {
		throw new RangeError("now must be a valid date");
	}
	if (!Number.isSafeInteger(count) || count < 0) {
		throw new RangeError(
			`count must be a whole number of at least 0 (got ${count})`,
		);
	}
	switch (schedule.mode) {
		case "interval":
			return intervalRuns(
				schedule.intervalMinutes,
				schedule.offsetSeconds ?? 0,
				nowMs,
				count,
			);
		case "cron":
			return cronRuns(schedule.expression, schedule.timeZone, nowMs, count);
		default: {
			const unknown: never = schedule;
			throw new TypeError(
				`unknown schedule mode in ${JSON.stringify(unknown)}`,
			);
		}
	}
}

/** The first run time strictly after `now`. */
export function nextRun(schedule: DirectionSchedule, now: Date): Date {
	// The live panel asks this for ten thousand databases at start-up.
	if (schedule.mode === "interval" && Number.isFinite(now.getTime()))
		return new Date(
			firstIntervalRunMs(
				schedule.intervalMinutes,
				schedule.offsetSeconds ?? 0,
				now.getTime(),
			),
		);
	const [run] = nextRuns(schedule, now, 1);
	if (run === undefined) {
		throw new Error("the schedule has no next run");
	}
	return run;
}
