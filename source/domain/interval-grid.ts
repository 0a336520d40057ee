import {
	assertWholeMinutes,
	MS_PER_MINUTE,
	MS_PER_SECOND,
	positiveModulo,
} from "./schedule-units.js";

/*
 * Interval mode is a fixed grid in UTC: the multiples of the interval since
 * the Unix epoch, shifted by the offset. Whole milliseconds throughout, so run
 * n is always exactly n intervals after run 0, whatever the local clock does.
 */
/** The first run of an interval schedule after `nowMs`, in milliseconds. */
export function firstIntervalRunMs(
	intervalMinutes: number,
	offsetSeconds: number,
	nowMs: number,
): number {
	assertWholeMinutes(intervalMinutes);
	if (!Number.isFinite(offsetSeconds)) {
		throw new RangeError(
			`offsetSeconds must be a number (got ${offsetSeconds})`,
		);
	}
	const intervalMs = intervalMinutes * MS_PER_MINUTE;
	const offsetMs = positiveModulo(
		Math.round(offsetSeconds * MS_PER_SECOND),
		intervalMs,
	);
	return (
		(Math.floor((nowMs - offsetMs) / intervalMs) + 1) * intervalMs + offsetMs
	);
}

/** The next `count` runs of an interval schedule after `nowMs`. */
export function intervalRuns(
	intervalMinutes: number,
	offsetSeconds: number,
	nowMs: number,
	count: number,
): Date[] {
	const firstMs = firstIntervalRunMs(intervalMinutes, offsetSeconds, nowMs);
	const intervalMs = intervalMinutes * MS_PER_MINUTE;
	return Array.from(
		{ length: count },
		(_, index) => new Date(firstMs + index * intervalMs),
	);
}
