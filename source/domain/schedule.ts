import { CronExpressionParser } from "cron-parser";
import { displayText } from "./text.js";

/** When one direction (download or upload) of an Async Client runs. */
export type DirectionSchedule =
	| { mode: "interval"; intervalMinutes: number; offsetSeconds?: number }
	| { mode: "cron"; expression: string; timeZone: string };

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/*
 * No zone moves its clock by more than this at once (the largest DST shift in
 * use is 2 hours), so a run after `now` never has a wall-clock time more than
 * this far before the wall-clock time of `now`.
 */
const LARGEST_CLOCK_SHIFT_MS = 3 * MS_PER_HOUR;

const FIVE_FIELD_NAMES = [
	"minute",
	"hour",
	"day-of-month",
	"month",
	"day-of-week",
] as const;
const SIX_FIELD_NAMES = ["second", ...FIVE_FIELD_NAMES] as const;

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

/**
 * Deterministic spread of stores across the interval, so that thousands of
 * stores on the same profile do not all download at the same second: the
 * FNV-1a hash of the channel database ID, mapped to whole seconds in
 * [0, intervalMinutes * 60). The hash is pinned by tests; changing it would
 * move every store's schedule.
 */
export function spreadOffsetSeconds(
	channelDatabaseId: string,
	intervalMinutes: number,
): number {
	assertWholeMinutes(intervalMinutes);
	return fnv1a32(channelDatabaseId) % (intervalMinutes * 60);
}

/**
 * Returns null when the expression is usable, else a one-line plain-English
 * reason, e.g. `minute "60": must be within 0-59`.
 */
export function cronExpressionProblem(expression: string): string | null {
	return remember(expressionProblems, expression, findExpressionProblem);
}

/** Returns null for a known IANA time zone name, else a one-line reason. */
export function timeZoneProblem(timeZone: string): string | null {
	if (timeZone.trim() === "") {
		return "required";
	}
	return wallClockOf(timeZone) === null
		? `unknown time zone ${quote(timeZone)} (use an IANA name such as Europe/Berlin)`
		: null;
}

/*
 * Parsing an expression and building a time zone formatter cost more than
 * the schedule math itself; the TUI asks for thousands of stores, most of
 * them sharing a few expressions and zones. Both are pure, so remember them.
 */
const REMEMBERED_LIMIT = 1000;
const expressionProblems = new Map<string, string | null>();
const wallClocks = new Map<string, WallClock | null>();

function remember<Value>(
	cache: Map<string, Value>,
	key: string,
	compute: (key: string) => Value,
): Value {
	if (cache.has(key)) {
		return cache.get(key) as Value;
	}
	const value = compute(key);
	if (cache.size >= REMEMBERED_LIMIT) {
		cache.clear();
	}
	cache.set(key, value);
	return value;
}

function wallClockOf(timeZone: string): WallClock | null {
	return remember(wallClocks, timeZone, (name) => {
		try {
			return new WallClock(name);
		} catch {
			return null;
		}
	});
}

function findExpressionProblem(expression: string): string | null {
	const trimmed = expression.trim();
	if (trimmed === "") {
		return "required";
	}
	if (trimmed.startsWith("@")) {
		return parseProblem(trimmed) === null
			? null
			: `unknown shortcut ${quote(trimmed)} (use @hourly, @daily, @weekly, @monthly or @yearly)`;
	}
	const fields = trimmed.split(/\s+/);
	if (fields.length < 5 || fields.length > 6) {
		return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${fields.length}`;
	}
	const problem = parseProblem(trimmed);
	if (problem === null) {
		return null;
	}
	return blameField(fields) ?? describeCombinationProblem(problem, fields);
}

/*
 * Interval mode is a fixed grid in UTC: the multiples of the interval since
 * the Unix epoch, shifted by the offset. Whole milliseconds throughout, so run
 * n is always exactly n intervals after run 0, whatever the local clock does.
 */
/** The first run of an interval schedule after `nowMs`, in milliseconds. */
function firstIntervalRunMs(
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

function intervalRuns(
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
function cronRuns(
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
	readonly #format: Intl.DateTimeFormat;

	constructor(timeZone: string) {
		this.#format = new Intl.DateTimeFormat("en-US", {
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
		const part: Record<string, number> = {};
		for (const { type, value } of this.#format.formatToParts(instantMs)) {
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

function parseCron(expression: string, currentDateMs: number) {
	// "H" values are chosen by a generator seeded here; without a seed they
	// would differ between the TUI and the client.
	return CronExpressionParser.parse(expression, {
		currentDate: new Date(currentDateMs),
		tz: "UTC",
		hashSeed: expression,
	});
}

/** cron-parser's message for an expression, or null when it parses and matches. */
function parseProblem(expression: string): string | null {
	try {
		parseCron(expression, Date.UTC(2000, 0, 1)).next();
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** Names the first field that is wrong on its own, with a plain reason. */
function blameField(fields: string[]): string | null {
	const names = fields.length === 6 ? SIX_FIELD_NAMES : FIVE_FIELD_NAMES;
	for (const [index, field] of fields.entries()) {
		const alone = fields.map((other, at) => (at === index ? other : "*"));
		const problem = parseProblem(alone.join(" "));
		if (problem !== null) {
			const name = names[index] ?? "field";
			return `${name} ${quote(field)}: ${plainReason(problem, name)}`;
		}
	}
	return null;
}

function describeCombinationProblem(problem: string, fields: string[]): string {
	if (problem.startsWith("Invalid explicit day of month definition")) {
		const offset = fields.length - 5;
		return `day-of-month ${quote(fields[offset + 2] ?? "")} never occurs in month ${quote(fields[offset + 3] ?? "")}`;
	}
	return plainReason(problem, "");
}

/** cron-parser's error message, reworded for an operator. */
function plainReason(message: string, fieldName: string): string {
	const reasons: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
		[
			/expected range (\d+)-(\d+)|outside the (\d+)-(\d+) range/,
			(match) =>
				`must be within ${match[1] ?? match[3]}-${match[2] ?? match[4]}`,
		],
		[/min\(\d+\) > max\(\d+\)|min > max/, () => "range runs backwards"],
		[
			/cannot repeat at every 0|must be positive/,
			() => "step must be at least 1",
		],
		[
			/wider than the (\d+-\d+) range/,
			(match) => `step is wider than ${match[1]}`,
		],
		[
			/cannot resolve alias/,
			() =>
				fieldName === "month"
					? "unknown name (use 1-12 or JAN-DEC)"
					: "unknown name (use 0-7 or SUN-SAT)",
		],
		[/Invalid characters/, () => "unexpected characters"],
		[/Invalid wildcard/, () => 'use "*" alone or as "*/step"'],
		[/Invalid list value format/, () => "empty item in a list"],
		[/occurrence number \(#\)/, () => 'the number after "#" must be 1-5'],
		[/too many values/, () => "too many values"],
	];
	for (const [pattern, reword] of reasons) {
		const match = message.match(pattern);
		if (match !== null) {
			return reword(match);
		}
	}
	const gist = message
		.replace(/^(\w+ )?(Validation|Constraint) error, /, "")
		.replace(/\.$/, "");
	return gist.charAt(0).toLowerCase() + gist.slice(1);
}

/**
 * Shows a value from data in a message: quoted, short, and inert like every
 * quoted value (text.ts), so a C1 control or a bidi override typed into a
 * field never reaches a terminal raw.
 */
function quote(value: string): string {
	const short = value.length > 40 ? `${value.slice(0, 39)}…` : value;
	return JSON.stringify(displayText(short));
}

const utf8 = new TextEncoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: all of ASCII
const asciiOnly = /^[\u0000-\u007F]*$/;

/** FNV-1a of the UTF-8 bytes of `text`. */
function fnv1a32(text: string): number {
	let hash = 0x811c9dc5;
	// Names are ASCII, whose characters are their own UTF-8 bytes: the panel
	// hashes ten thousand of them at start-up, so they are not encoded.
	const bytes = asciiOnly.test(text) ? null : utf8.encode(text);
	const length = bytes === null ? text.length : bytes.length;
	for (let index = 0; index < length; index++) {
		hash ^= bytes === null ? text.charCodeAt(index) : (bytes[index] as number);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

function assertWholeMinutes(intervalMinutes: number): void {
	if (!Number.isSafeInteger(intervalMinutes) || intervalMinutes < 1) {
		throw new RangeError(
			`intervalMinutes must be a whole number of at least 1 (got ${intervalMinutes})`,
		);
	}
}

function positiveModulo(value: number, divisor: number): number {
	return ((value % divisor) + divisor) % divisor;
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
