import test from "ava";
import {
	cronExpressionProblem,
	type DirectionSchedule,
	nextRun,
	nextRuns,
	spreadOffsetSeconds,
	timeZoneProblem,
} from "../../source/domain/schedule.js";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

function every(
	intervalMinutes: number,
	offsetSeconds?: number,
): DirectionSchedule {
	return offsetSeconds === undefined
		? { mode: "interval", intervalMinutes }
		: { mode: "interval", intervalMinutes, offsetSeconds };
}

function cron(expression: string, timeZone = "UTC"): DirectionSchedule {
	return { mode: "cron", expression, timeZone };
}

/** Times written with their UTC offset, as an operator reads them. */
function times(...texts: string[]): string[] {
	return texts.map((text) => new Date(text).toISOString());
}

function iso(dates: Date[]): string[] {
	return dates.map((date) => date.toISOString());
}

function gaps(dates: Date[]): number[] {
	return dates.slice(1).map((date, index) => {
		const previous = dates[index] ?? date;
		return date.getTime() - previous.getTime();
	});
}

function localDay(date: Date, timeZone: string): string {
	return date.toLocaleDateString("sv-SE", { timeZone });
}

// Interval mode

test("a 15-minute interval runs at :00, :15, :30 and :45", (t) => {
	const runs = nextRuns(every(15), new Date("2026-05-04T10:07:13.500Z"), 5);
	t.deepEqual(
		iso(runs),
		times(
			"2026-05-04T10:15:00Z",
			"2026-05-04T10:30:00Z",
			"2026-05-04T10:45:00Z",
			"2026-05-04T11:00:00Z",
			"2026-05-04T11:15:00Z",
		),
	);
});

test("the next run is strictly after now, also when now is exactly on a run", (t) => {
	t.is(
		nextRun(every(15), new Date("2026-05-04T10:15:00.000Z")).toISOString(),
		"2026-05-04T10:30:00.000Z",
	);
	t.is(
		nextRun(every(15), new Date("2026-05-04T10:14:59.999Z")).toISOString(),
		"2026-05-04T10:15:00.000Z",
	);
});

test("10,000 runs later the interval has not drifted by a millisecond", (t) => {
	const start = new Date("2026-01-01T00:00:00Z");
	const runs = nextRuns(every(15), start, 10_001);
	t.true(gaps(runs).every((gap) => gap === 15 * MINUTE_MS));
	t.is(runs.at(-1)?.toISOString(), "2026-04-15T04:15:00.000Z");
});

test("asking again from each run walks the same grid, 10,000 times", (t) => {
	let run = new Date("2026-01-01T00:00:00Z");
	for (let step = 0; step < 10_000; step++) {
		run = nextRun(every(7), run);
	}
	const listed = nextRuns(every(7), new Date("2026-01-01T00:00:00Z"), 10_000);
	t.deepEqual(iso([run]), iso(listed.slice(-1)));
	t.is(
		run.getTime(),
		Date.parse("2026-01-01T00:00:00Z") + 10_000 * 7 * MINUTE_MS,
	);
});

test("an interval that does not divide an hour stays on its grid since 1970", (t) => {
	const runs = nextRuns(every(7), new Date("2026-05-04T10:00:00Z"), 20);
	t.true(runs.every((run) => run.getTime() % (7 * MINUTE_MS) === 0));
	t.true(gaps(runs).every((gap) => gap === 7 * MINUTE_MS));
	t.is(runs[0]?.toISOString(), "2026-05-04T10:03:00.000Z");
});

test("a daily interval runs at midnight UTC, exactly 24 hours apart across DST", (t) => {
	const runs = nextRuns(every(1440), new Date("2026-03-27T12:00:00Z"), 4);
	t.deepEqual(
		iso(runs),
		times(
			"2026-03-28T00:00:00Z",
			"2026-03-29T00:00:00Z",
			"2026-03-30T00:00:00Z",
			"2026-03-31T00:00:00Z",
		),
	);
	t.deepEqual(gaps(runs), [DAY_MS, DAY_MS, DAY_MS]);
});

test("an offset shifts the whole grid by that many seconds", (t) => {
	const runs = nextRuns(every(15, 125), new Date("2026-05-04T10:07:13Z"), 3);
	t.deepEqual(
		iso(runs),
		times(
			"2026-05-04T10:17:05Z",
			"2026-05-04T10:32:05Z",
			"2026-05-04T10:47:05Z",
		),
	);
});

test("an offset outside the interval wraps into it", (t) => {
	const now = new Date("2026-05-04T10:07:13Z");
	t.deepEqual(
		iso(nextRuns(every(15, 900 + 60), now, 3)),
		iso(nextRuns(every(15, 60), now, 3)),
	);
	t.deepEqual(
		iso(nextRuns(every(15, -60), now, 3)),
		iso(nextRuns(every(15, 840), now, 3)),
	);
});

test("an interval that is not a whole number of minutes of at least 1 is refused", (t) => {
	const now = new Date("2026-05-04T10:00:00Z");
	t.throws(() => nextRun(every(0), now), { instanceOf: RangeError });
	t.throws(() => nextRun(every(2.5), now), { instanceOf: RangeError });
	t.throws(() => nextRun(every(Number.NaN), now), { instanceOf: RangeError });
});

// Spreading stores across the interval

test("the spread offset is FNV-1a of the channel database ID, so it never changes between versions", (t) => {
	// FNV-1a 32-bit test vectors: "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
	t.is(spreadOffsetSeconds("a", 1440), 0xe40c292c % 86_400);
	t.is(spreadOffsetSeconds("foobar", 1440), 0xbf9cf968 % 86_400);
	t.is(spreadOffsetSeconds("HOUSTON-0001", 15), 335);
	// Beyond ASCII the hash is of the UTF-8 bytes, as the client has always hashed.
	t.is(spreadOffsetSeconds("Grüße-1", 1440), 398_422_682 % 86_400);
});

test("the spread offset is the same every time for the same store", (t) => {
	t.is(
		spreadOffsetSeconds("HOUSTON-0001", 15),
		spreadOffsetSeconds("HOUSTON-0001", 15),
	);
});

test("different stores get different spread offsets", (t) => {
	const ids = Array.from(
		{ length: 500 },
		(_, index) => `STORE-${String(index).padStart(4, "0")}`,
	);
	const offsets = new Set(ids.map((id) => spreadOffsetSeconds(id, 1440)));
	t.true(offsets.size > 495);
	t.not(
		spreadOffsetSeconds("HOUSTON-0001", 15),
		spreadOffsetSeconds("HOUSTON-0002", 15),
	);
});

test("the spread offset is whole seconds within the interval", (t) => {
	for (const intervalMinutes of [1, 7, 15, 1440]) {
		for (let index = 0; index < 500; index++) {
			const offset = spreadOffsetSeconds(`STORE-${index}`, intervalMinutes);
			t.true(Number.isInteger(offset));
			t.true(offset >= 0 && offset < intervalMinutes * 60);
		}
	}
});

test("a spread offset keeps every run within its interval", (t) => {
	const offsetSeconds = spreadOffsetSeconds("HOUSTON-0001", 15);
	const runs = nextRuns(
		every(15, offsetSeconds),
		new Date("2026-05-04T10:00:00Z"),
		4,
	);
	t.true(
		runs.every(
			(run) => run.getTime() % (15 * MINUTE_MS) === offsetSeconds * 1000,
		),
	);
	t.true(gaps(runs).every((gap) => gap === 15 * MINUTE_MS));
});

// Cron mode

test("cron every 15 minutes from 08:00 to 22:45, Monday to Saturday, in Berlin summer time", (t) => {
	const schedule = cron("*/15 8-22 * * 1-6", "Europe/Berlin");
	const saturdayEvening = new Date("2026-06-06T22:40:00+02:00");
	t.deepEqual(
		iso(nextRuns(schedule, saturdayEvening, 3)),
		times(
			"2026-06-06T22:45:00+02:00",
			"2026-06-08T08:00:00+02:00",
			"2026-06-08T08:15:00+02:00",
		),
	);
});

test("cron in Berlin winter time uses UTC+1", (t) => {
	const schedule = cron("*/15 8-22 * * 1-6", "Europe/Berlin");
	t.deepEqual(
		iso(nextRuns(schedule, new Date("2026-01-05T07:59:00+01:00"), 2)),
		times("2026-01-05T08:00:00+01:00", "2026-01-05T08:15:00+01:00"),
	);
});

test("cron runs are strictly after now", (t) => {
	t.is(
		nextRun(
			cron("0 * * * *"),
			new Date("2026-05-04T10:00:00.000Z"),
		).toISOString(),
		"2026-05-04T11:00:00.000Z",
	);
});

test("a six-field cron expression counts seconds first", (t) => {
	t.deepEqual(
		iso(nextRuns(cron("30 */15 * * * *"), new Date("2026-05-04T10:00:00Z"), 2)),
		times("2026-05-04T10:00:30Z", "2026-05-04T10:15:30Z"),
	);
});

test("a daily 02:30 job runs at 03:30 on the day Berlin springs forward, not skipped", (t) => {
	const runs = nextRuns(
		cron("30 2 * * *", "Europe/Berlin"),
		new Date("2026-03-27T12:00:00Z"),
		3,
	);
	t.deepEqual(
		iso(runs),
		times(
			"2026-03-28T02:30:00+01:00",
			"2026-03-29T03:30:00+02:00",
			"2026-03-30T02:30:00+02:00",
		),
	);
});

test("asked at 03:10 on the day Berlin springs forward, the 02:30 job still runs at 03:30", (t) => {
	t.is(
		nextRun(
			cron("30 2 * * *", "Europe/Berlin"),
			new Date("2026-03-29T03:10:00+02:00"),
		).toISOString(),
		new Date("2026-03-29T03:30:00+02:00").toISOString(),
	);
});

test("a daily 02:30 job runs once on the day Berlin falls back", (t) => {
	const runs = nextRuns(
		cron("30 2 * * *", "Europe/Berlin"),
		new Date("2026-10-23T12:00:00Z"),
		3,
	);
	t.deepEqual(
		iso(runs),
		times(
			"2026-10-24T02:30:00+02:00",
			"2026-10-25T02:30:00+02:00",
			"2026-10-26T02:30:00+01:00",
		),
	);
});

test("asked in the repeated hour after the 02:30 job ran, the next run is the next day", (t) => {
	t.is(
		nextRun(
			cron("30 2 * * *", "Europe/Berlin"),
			new Date("2026-10-25T02:10:00+01:00"),
		).toISOString(),
		new Date("2026-10-26T02:30:00+01:00").toISOString(),
	);
});

test("a job every 15 minutes keeps 15 minutes of elapsed time across both Berlin changes", (t) => {
	const schedule = cron("*/15 * * * *", "Europe/Berlin");
	const spring = nextRuns(schedule, new Date("2026-03-29T01:40:00+01:00"), 3);
	t.deepEqual(
		iso(spring),
		times(
			"2026-03-29T01:45:00+01:00",
			"2026-03-29T03:00:00+02:00",
			"2026-03-29T03:15:00+02:00",
		),
	);
	const autumn = nextRuns(schedule, new Date("2026-10-25T01:50:00+02:00"), 9);
	t.deepEqual(
		iso(autumn),
		times(
			"2026-10-25T02:00:00+02:00",
			"2026-10-25T02:15:00+02:00",
			"2026-10-25T02:30:00+02:00",
			"2026-10-25T02:45:00+02:00",
			"2026-10-25T02:00:00+01:00",
			"2026-10-25T02:15:00+01:00",
			"2026-10-25T02:30:00+01:00",
			"2026-10-25T02:45:00+01:00",
			"2026-10-25T03:00:00+01:00",
		),
	);
});

test("several times in the skipped hour each move forward by the hour", (t) => {
	const runs = nextRuns(
		cron("0,30 2 * * *", "Europe/Berlin"),
		new Date("2026-03-29T00:00:00+01:00"),
		2,
	);
	t.deepEqual(
		iso(runs),
		times("2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"),
	);
});

test("a skipped time that lands on another run of the same job runs once", (t) => {
	const runs = nextRuns(
		cron("30 1-3 * * *", "Europe/Berlin"),
		new Date("2026-03-29T00:00:00+01:00"),
		3,
	);
	t.deepEqual(
		iso(runs),
		times(
			"2026-03-29T01:30:00+01:00",
			"2026-03-29T03:30:00+02:00",
			"2026-03-30T01:30:00+02:00",
		),
	);
});

test("a daily 02:30 job runs at 03:30 on the day New York springs forward", (t) => {
	const runs = nextRuns(
		cron("30 2 * * *", "America/New_York"),
		new Date("2026-03-06T12:00:00Z"),
		3,
	);
	t.deepEqual(
		iso(runs),
		times(
			"2026-03-07T02:30:00-05:00",
			"2026-03-08T03:30:00-04:00",
			"2026-03-09T02:30:00-04:00",
		),
	);
});

test("a daily 01:30 job runs once on the day New York falls back", (t) => {
	const runs = nextRuns(
		cron("30 1 * * *", "America/New_York"),
		new Date("2026-10-31T12:00:00Z"),
		3,
	);
	t.deepEqual(
		iso(runs),
		times(
			"2026-11-01T01:30:00-04:00",
			"2026-11-02T01:30:00-05:00",
			"2026-11-03T01:30:00-05:00",
		),
	);
	t.is(
		nextRun(
			cron("30 1 * * *", "America/New_York"),
			new Date("2026-11-01T01:10:00-05:00"),
		).toISOString(),
		new Date("2026-11-02T01:30:00-05:00").toISOString(),
	);
});

test("across every DST change the next run does not depend on when it is asked", (t) => {
	const changes = [
		{ timeZone: "Europe/Berlin", day: "2026-03-29" },
		{ timeZone: "Europe/Berlin", day: "2026-10-25" },
		{ timeZone: "America/New_York", day: "2026-03-08" },
		{ timeZone: "America/New_York", day: "2026-11-01" },
	];
	const expressions = [
		"30 2 * * *",
		"30 1 * * *",
		"0 * * * *",
		"*/20 1-3 * * *",
	];
	for (const { timeZone, day } of changes) {
		for (const expression of expressions) {
			const schedule = cron(expression, timeZone);
			const from = Date.parse(`${day}T00:00:00Z`) - DAY_MS;
			const reference = nextRuns(schedule, new Date(from), 100);
			for (let now = from; now < from + 2 * DAY_MS; now += 5 * MINUTE_MS) {
				const expected = reference.filter((run) => run.getTime() > now);
				t.deepEqual(
					iso([nextRun(schedule, new Date(now))]),
					iso(expected.slice(0, 1)),
					`${expression} in ${timeZone} asked at ${new Date(now).toISOString()}`,
				);
			}
		}
	}
});

test("a daily job runs exactly once on each local day around every DST change", (t) => {
	for (const [timeZone, from] of [
		["Europe/Berlin", "2026-03-26T00:00:00Z"],
		["Europe/Berlin", "2026-10-22T00:00:00Z"],
		["America/New_York", "2026-03-05T00:00:00Z"],
		["America/New_York", "2026-10-29T00:00:00Z"],
	] as const) {
		for (const expression of ["30 1 * * *", "30 2 * * *", "0 3 * * *"]) {
			const runs = nextRuns(cron(expression, timeZone), new Date(from), 7);
			const days = runs.map((run) => localDay(run, timeZone));
			t.is(
				new Set(days).size,
				7,
				`${expression} in ${timeZone}: ${days.join(", ")}`,
			);
		}
	}
});

test("day 31 skips the months that have 30 days or fewer", (t) => {
	const runs = nextRuns(
		cron("0 0 31 * *"),
		new Date("2026-01-01T00:00:00Z"),
		7,
	);
	t.deepEqual(
		iso(runs),
		times(
			"2026-01-31T00:00:00Z",
			"2026-03-31T00:00:00Z",
			"2026-05-31T00:00:00Z",
			"2026-07-31T00:00:00Z",
			"2026-08-31T00:00:00Z",
			"2026-10-31T00:00:00Z",
			"2026-12-31T00:00:00Z",
		),
	);
});

test("29 February waits for the next leap year", (t) => {
	const runs = nextRuns(
		cron("0 12 29 2 *"),
		new Date("2026-01-01T00:00:00Z"),
		2,
	);
	t.deepEqual(iso(runs), times("2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"));
});

test("a hashed H value is the same every time it is asked", (t) => {
	const now = new Date("2026-05-04T10:00:00Z");
	t.deepEqual(
		iso(nextRuns(cron("H H * * *"), now, 2)),
		iso(nextRuns(cron("H H * * *"), now, 2)),
	);
});

test("asking for no runs gives none", (t) => {
	const now = new Date("2026-05-04T10:00:00Z");
	t.deepEqual(nextRuns(cron("0 * * * *"), now, 0), []);
	t.deepEqual(nextRuns(every(15), now, 0), []);
});

// Validation

test("common cron expressions are accepted", (t) => {
	for (const expression of [
		"*/15 8-22 * * 1-6",
		"0 0 31 * *",
		"0 12 29 2 *",
		"30 */15 * * * *",
		"0 6 * * MON-FRI",
		"0 0 L * *",
		"@daily",
		"  0 * * * *  ",
	]) {
		t.is(cronExpressionProblem(expression), null, expression);
	}
});

test("an empty cron expression is required", (t) => {
	t.is(cronExpressionProblem(""), "required");
	t.is(cronExpressionProblem("   "), "required");
});

test("invalid cron expressions give a one-line reason naming the field", (t) => {
	const cases: Array<[string, string]> = [
		[
			"* * *",
			"expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 3",
		],
		[
			"* * * * * * *",
			"expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 7",
		],
		["60 * * * *", 'minute "60": must be within 0-59'],
		["0 24 * * *", 'hour "24": must be within 0-23'],
		["0 0 32 * *", 'day-of-month "32": must be within 1-31'],
		["0 0 * 13 *", 'month "13": must be within 1-12'],
		["0 0 * * 8", 'day-of-week "8": must be within 0-7'],
		["61 0 0 * * *", 'second "61": must be within 0-59'],
		["*/0 * * * *", 'minute "*/0": step must be at least 1'],
		["5-1 * * * *", 'minute "5-1": range runs backwards'],
		["1.5 * * * *", 'minute "1.5": unexpected characters'],
		["0 0 * foo *", 'month "foo": unknown name (use 1-12 or JAN-DEC)'],
		[
			"0 0 * * sunday",
			'day-of-week "sunday": unknown name (use 0-7 or SUN-SAT)',
		],
		["1,,2 * * * *", 'minute "1,,2": empty item in a list'],
		["0 0 * * 1#6", 'day-of-week "1#6": the number after "#" must be 1-5'],
		["0 0 30 2 *", 'day-of-month "30" never occurs in month "2"'],
		[
			"@often",
			'unknown shortcut "@often" (use @hourly, @daily, @weekly, @monthly or @yearly)',
		],
	];
	for (const [expression, reason] of cases) {
		t.is(cronExpressionProblem(expression), reason, expression);
	}
});

test("a cron reason shows control characters escaped, never raw", (t) => {
	const reason = cronExpressionProblem("\u001b[2J * * * *");
	t.is(reason, 'minute "␛[2J": unexpected characters');
	t.false(reason?.includes("\u001b"));
});

test("IANA time zones are accepted", (t) => {
	for (const timeZone of [
		"Europe/Berlin",
		"America/New_York",
		"UTC",
		"Asia/Kolkata",
	]) {
		t.is(timeZoneProblem(timeZone), null, timeZone);
	}
});

test("an unknown or empty time zone gives a reason", (t) => {
	t.is(
		timeZoneProblem("Mars/Olympus_Mons"),
		'unknown time zone "Mars/Olympus_Mons" (use an IANA name such as Europe/Berlin)',
	);
	t.is(
		timeZoneProblem("+02:00"),
		'unknown time zone "+02:00" (use an IANA name such as Europe/Berlin)',
	);
	t.is(timeZoneProblem(""), "required");
});

test("computing runs for an invalid cron schedule throws the same reason", (t) => {
	const now = new Date("2026-05-04T10:00:00Z");
	t.throws(() => nextRun(cron("60 * * * *"), now), {
		instanceOf: RangeError,
		message: 'cron expression: minute "60": must be within 0-59',
	});
	t.throws(() => nextRun(cron("0 * * * *", "Mars/Olympus_Mons"), now), {
		instanceOf: RangeError,
		message:
			'cron time zone: unknown time zone "Mars/Olympus_Mons" (use an IANA name such as Europe/Berlin)',
	});
});
