import { cronExpressionProblem, parseCron, quote } from "./cron-expression.js";
import {
	MS_PER_DAY,
	MS_PER_HOUR,
	MS_PER_SECOND,
	positiveModulo,
	remember,
} from "./schedule-units.js";

/*
 * No zone moves its clock by more than this at once (the largest DST shift in
 * use is 2 hours), so a run after `now` never has a wall-clock time more than
 * this far before the wall-clock time of `now`.
 */
const LARGEST_CLOCK_SHIFT_MS = 3 * MS_PER_HOUR;

/** Returns null for a known IANA time zone name, else a one-line reason. */
export function timeZoneProblem(timeZone: string): string | null {
	if (timeZone.trim() === "") {
		return "required";
	}
	return wallClockOf(timeZone) === null
		? `unknown time zone ${quote(timeZone)} (use an IANA name such as Europe/Berlin)`
		: null;
}

const wallClocks = new Map<string, WallClock | null>();

/*
 * Node 22's ICU also takes an offset ("+02:00") as a time zone; Node 20's
 * does not. Refused on every Node, so a profile saved on one is read the same
 * by a client on another.
 */
const offsetZone = /^[+\-\u2212]/;

function wallClockOf(timeZone: string): WallClock | null {
	return remember(wallClocks, timeZone, (name) => {
		if (offsetZone.test(name.trim())) return null;
		try {
			return new WallClock(name);
		} catch {
			return null;
		}
	});
}

/*
 * Cron mode. cron-parser is only ever run in UTC, on the zone's wall-clock
 * time written as if it were UTC, where no clock changes exist. We map each
 * wall-clock match to real instants ourselves, because cron-parser's own DST
 * handling depends on where its search starts: asked at 03:10 on a
 * spring-forward day in Europe/Berlin it skips that day's 02:30 job, and asked
 * in the repeated hour of a fall-back day it returns the repeated 02:30 again.
 *
 * The rules (those of Vixie cron, which cron-parser means to follow):
 * - a time in the hour the clock skips runs that much later (02:30 -> 03:30),
 *   once, even when that equals another run of the same expression;
 * - a time the clock passes twice runs at the first pass only;
 * - except when the hour field covers every hour ("*"): such jobs follow
 *   elapsed time, so they skip the missing hour and run in both repeated hours.
 */
export function cronRuns(
	expression: string,
	timeZone: string,
	nowMs: number,
	count: number,
): Date[] {
	const expressionProblem = cronExpressionProblem(expression);
	if (expressionProblem !== null) {
		throw new RangeError(`cron expression: ${expressionProblem}`);
	}
	const zone = wallClockOf(timeZone);
	if (zone === null) {
		throw new RangeError(`cron time zone: ${timeZoneProblem(timeZone)}`);
	}
	if (count === 0) {
		return [];
	}
	const startWallMs =
		nowMs +
		Math.min(
			zone.offsetMs(nowMs - LARGEST_CLOCK_SHIFT_MS),
			zone.offsetMs(nowMs),
			zone.offsetMs(nowMs + LARGEST_CLOCK_SHIFT_MS),
		);
	const matches = parseCron(expression.trim(), startWallMs - MS_PER_SECOND);
	const everyHour = matches.fields.hour.values.length === 24;
	const runs: number[] = [];
	for (;;) {
		const wallMs = matches.next().getTime();
		const offsets = zone.offsetsNear(wallMs);
		const earliestPossibleMs = wallMs - Math.max(...offsets);
		const lastWantedMs = runs[count - 1];
		if (lastWantedMs !== undefined && earliestPossibleMs > lastWantedMs) {
			break;
		}
		for (const runMs of zone.instantsOf(wallMs, offsets, everyHour)) {
			if (runMs > nowMs) {
				insertSortedUnique(runs, runMs);
			}
		}
	}
	return runs.slice(0, count).map((runMs) => new Date(runMs));
}

/** Converts between instants and the wall-clock time of one IANA zone. */
class WallClock {
	// None for UTC, the default zone, whose wall clock is the instant: the
	// first Intl formatter loads ICU's zone data (~25 ms), which a client
	// would pay at every start to check its profile.
	readonly #format: Intl.DateTimeFormat | null;
	// formatToParts is most of a cron schedule's cost, and the same instants
	// come up at every ask: a run's neighbours, the day either side of it.
	readonly #wallTimes = new Map<number, number>();

	constructor(timeZone: string) {
		this.#format =
			timeZone === "UTC"
				? null
				: new Intl.DateTimeFormat("en-US", {
						timeZone,
						hourCycle: "h23",
						year: "numeric",
						month: "numeric",
						day: "numeric",
						hour: "numeric",
						minute: "numeric",
						second: "numeric",
					});
	}

	/** The wall-clock time at `instantMs`, written as if it were UTC. */
	wallMs(instantMs: number): number {
		const format = this.#format;
		if (format === null) return instantMs;
		return remember(this.#wallTimes, instantMs, () => {
			const part: Record<string, number> = {};
			for (const { type, value } of format.formatToParts(instantMs)) {
				part[type] = Number(value);
			}
			return (
				Date.UTC(
					part.year ?? 0,
					(part.month ?? 1) - 1,
					part.day ?? 1,
					part.hour ?? 0,
					part.minute ?? 0,
					part.second ?? 0,
				) + positiveModulo(instantMs, MS_PER_SECOND)
			);
		});
	}

	/** How far the wall clock is ahead of UTC at `instantMs`. */
	offsetMs(instantMs: number): number {
		return this.wallMs(instantMs) - instantMs;
	}

	/** The offsets in force within a day of a wall-clock time. */
	offsetsNear(wallMs: number): number[] {
		return [
			...new Set([
				this.offsetMs(wallMs - MS_PER_DAY),
				this.offsetMs(wallMs),
				this.offsetMs(wallMs + MS_PER_DAY),
			]),
		];
	}

	/** The instants at which a matching wall-clock time runs (see cronRuns). */
	instantsOf(wallMs: number, offsets: number[], everyHour: boolean): number[] {
		const instants = offsets
			.map((offset) => wallMs - offset)
			.filter((instantMs) => this.wallMs(instantMs) === wallMs)
			.sort((a, b) => a - b);
		const [first] = instants;
		if (first === undefined) {
			// A skipped time: measured with the offset from before the jump, it
			// lands as far after the jump as it was meant to be into the gap.
			return everyHour ? [] : [wallMs - Math.min(...offsets)];
		}
		return everyHour ? instants : [first];
	}
}

function insertSortedUnique(sorted: number[], value: number): void {
	let index = sorted.length;
	while (index > 0 && (sorted[index - 1] ?? 0) > value) {
		index--;
	}
	if (sorted[index - 1] !== value) {
		sorted.splice(index, 0, value);
	}
}
