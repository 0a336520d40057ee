import test from "ava";
import { scheduleFor } from "../../source/domain/profile-schedule.js";
import { makeProfile } from "../helpers/database.js";
import {
	daily,
	every,
	hour,
	minute,
	startScheduler,
} from "../helpers/scheduler-harness.js";

test("interval mode runs on the grid of the interval, to the millisecond", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:07:30.000Z",
		download: every(15),
	});
	t.deepEqual(
		s.scheduler.plan.download?.toISOString(),
		"2026-11-26T10:15:00.000Z",
	);
	await s.clock.advanceTo("2026-11-26T11:00:00.000Z");
	await s.stop();
	t.deepEqual(s.times("download"), [
		"2026-11-26T10:15:00.000Z",
		"2026-11-26T10:30:00.000Z",
		"2026-11-26T10:45:00.000Z",
		"2026-11-26T11:00:00.000Z",
	]);
	t.true(
		Math.max(...s.clock.sleeps) <= 1000,
		"never sleeps longer than a second",
	);
});

test("spread load shifts a store's grid by its stable offset (via scheduleFor)", async (t) => {
	const profile = makeProfile("STORES", { downloadIntervalMinutes: 15 });
	const schedule = scheduleFor(
		profile,
		{ name: "STORE-0042", spreadLoad: true },
		"download",
	);
	t.is(schedule.mode, "interval");
	const offsetMs =
		schedule.mode === "interval" ? (schedule.offsetSeconds ?? 0) * 1000 : 0;
	const s = startScheduler({
		start: "2026-11-26T10:00:00.000Z",
		download: schedule,
	});
	await s.clock.advanceTo("2026-11-26T10:30:00.000Z");
	await s.stop();
	const first = Date.parse("2026-11-26T10:00:00.000Z") + offsetMs;
	t.deepEqual(s.times("download"), [
		new Date(first).toISOString(),
		new Date(first + 15 * minute).toISOString(),
	]);
});

test("cron mode runs in the profile's time zone: opening hours, weekdays", async (t) => {
	const profile = makeProfile("SHOPS", {
		uploadCron: "0 8-9 * * 1-6",
		timeZone: "Europe/Berlin",
	});
	const s = startScheduler({
		// Sunday 2026-11-29, 07:00 in Berlin.
		start: "2026-11-29T06:00:00.000Z",
		upload: scheduleFor(profile, { name: "S1", spreadLoad: false }, "upload"),
	});
	await s.clock.advanceTo("2026-11-30T09:00:00.000Z");
	await s.stop();
	// Sunday has no runs; Monday 08:00 and 09:00 Berlin are 07:00 and 08:00 UTC.
	t.deepEqual(s.times("upload"), [
		"2026-11-30T07:00:00.000Z",
		"2026-11-30T08:00:00.000Z",
	]);
});

test("a daily 02:30 cron job runs at 03:30 on the spring-forward day and once on the fall-back day", async (t) => {
	const profile = makeProfile("NIGHT", {
		downloadCron: "30 2 * * *",
		timeZone: "Europe/Berlin",
	});
	const schedule = scheduleFor(
		profile,
		{ name: "S1", spreadLoad: false },
		"download",
	);
	const spring = startScheduler({
		start: "2026-03-28T23:00:00.000Z",
		download: schedule,
	});
	await spring.clock.advanceTo("2026-03-30T01:00:00.000Z");
	await spring.stop();
	t.deepEqual(spring.times("download"), [
		"2026-03-29T01:30:00.000Z", // 03:30 CEST: 02:30 does not exist that night
		"2026-03-30T00:30:00.000Z",
	]);
	const autumn = startScheduler({
		start: "2026-10-24T23:00:00.000Z",
		download: schedule,
	});
	await autumn.clock.advanceTo("2026-10-26T02:00:00.000Z");
	await autumn.stop();
	t.deepEqual(autumn.times("download"), [
		"2026-10-25T00:30:00.000Z", // the first 02:30 (CEST); the repeated one does not run again
		"2026-10-26T01:30:00.000Z",
	]);
});

test("a clock set forward by two hours gives one run, not one per skipped time", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:00:00.000Z",
		download: every(15),
	});
	await s.clock.advanceTo("2026-11-26T10:20:00.000Z");
	s.clock.jump(2 * hour);
	await s.clock.advance(16 * minute);
	await s.stop();
	const [first, late, next, ...more] = s.times("download");
	t.is(first, "2026-11-26T10:15:00.000Z");
	// The jump is seen when the current slice ends: within a second.
	t.regex(late ?? "", /^2026-11-26T12:20:0[01]/);
	t.is(next, "2026-11-26T12:30:00.000Z");
	t.deepEqual(more, []);
});

test("a clock set back by half an hour does not repeat runs that already happened", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:00:00.000Z",
		download: every(15),
	});
	await s.clock.advanceTo("2026-11-26T10:20:00.000Z");
	s.clock.jump(-30 * minute); // now 09:50 again
	await s.clock.advanceTo("2026-11-26T10:31:00.000Z");
	await s.stop();
	t.deepEqual(s.times("download"), [
		"2026-11-26T10:15:00.000Z",
		"2026-11-26T10:30:00.000Z",
	]);
});

test("a clock set back by a day starts over from the new time instead of idling for a day", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:00:00.000Z",
		download: every(15),
	});
	await s.clock.advanceTo("2026-11-26T10:20:00.000Z");
	s.clock.jump(-24 * hour);
	await s.clock.advance(15 * minute);
	await s.stop();
	t.deepEqual(s.times("download"), [
		"2026-11-26T10:15:00.000Z",
		"2026-11-25T10:30:00.000Z",
	]);
});

test("after six hours of downtime it catches up once at start, then follows the grid", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T16:05:00.000Z",
		download: every(15),
		lastRunAt: { download: "2026-11-26T10:00:00.000Z" },
	});
	await s.clock.advanceTo("2026-11-26T16:31:00.000Z");
	await s.stop();
	t.deepEqual(
		s.runs
			.filter((run) => run.direction === "download")
			.map((run) => [run.at, run.reason]),
		[
			["2026-11-26T16:05:00.000Z", "catch-up"],
			["2026-11-26T16:15:00.000Z", "schedule"],
			["2026-11-26T16:30:00.000Z", "schedule"],
		],
	);
});

test("no catch-up when the last run began after the previous scheduled time", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:20:00.000Z",
		download: every(15),
		lastRunAt: { download: "2026-11-26T10:15:00.000Z" },
	});
	await s.clock.advance(5 * minute);
	await s.stop();
	t.deepEqual(s.times("download"), []);
});

test("a client that never ran runs both directions at start, one after the other", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:20:00.000Z",
		lastRunAt: { download: null, upload: null },
		runMs: 30_000,
	});
	await s.clock.advance(2 * minute);
	await s.stop();
	t.deepEqual(
		s.runs.map((run) => [run.direction, run.reason, run.at]),
		[
			["download", "catch-up", "2026-11-26T10:20:00.000Z"],
			["upload", "catch-up", "2026-11-26T10:20:30.000Z"],
		],
	);
	t.is(s.mostAtOnce(), 1);
});

test("a run longer than the interval is never overlapped: the missed time gives one late run", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:00:00.000Z",
		download: every(15),
		runMs: 20 * minute,
	});
	await s.clock.advanceTo("2026-11-26T11:00:00.000Z");
	await s.stop();
	t.is(s.mostAtOnce(), 1);
	t.deepEqual(s.times("download"), [
		"2026-11-26T10:15:00.000Z",
		"2026-11-26T10:35:00.000Z",
		"2026-11-26T10:55:00.000Z",
	]);
});

test("a new schedule takes effect at once: the plan changes without waiting for a slice", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:07:00.000Z",
		download: every(60),
	});
	t.is(s.scheduler.plan.download?.toISOString(), "2026-11-26T11:00:00.000Z");
	const plansBefore = s.plans.length;
	t.true(s.scheduler.setSchedules({ download: every(5), upload: daily }));
	t.is(s.plans.length, plansBefore + 1);
	t.is(s.plans.at(-1)?.download?.toISOString(), "2026-11-26T10:10:00.000Z");
	t.false(
		s.scheduler.setSchedules({ download: every(5), upload: daily }),
		"same schedule: no change",
	);
	await s.clock.advanceTo("2026-11-26T10:21:00.000Z");
	await s.stop();
	t.deepEqual(s.times("download"), [
		"2026-11-26T10:10:00.000Z",
		"2026-11-26T10:15:00.000Z",
		"2026-11-26T10:20:00.000Z",
	]);
});

test("run now runs at once and keeps the scheduled time", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:07:00.000Z",
		download: every(15),
	});
	await s.clock.advance(10_000);
	s.requests.add("download");
	s.scheduler.wake();
	await s.clock.advance(0);
	t.deepEqual(
		s.runs.map((run) => [run.reason, run.at]),
		[["run-now", "2026-11-26T10:07:10.000Z"]],
	);
	t.is(s.scheduler.plan.download?.toISOString(), "2026-11-26T10:15:00.000Z");
	await s.clock.advanceTo("2026-11-26T10:15:00.000Z");
	await s.stop();
	t.is(s.runs.length, 2);
});

test("a session request waits for the current run, and the run it asks for starts right after it", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:14:00.000Z",
		download: every(15),
		runMs: 5 * minute,
	});
	await s.clock.advanceTo("2026-11-26T10:16:00.000Z");
	s.sessionRequests.push(["download"]);
	s.scheduler.wake();
	await s.clock.advanceTo("2026-11-26T10:29:00.000Z");
	await s.stop();
	t.deepEqual(s.handledAt, ["2026-11-26T10:20:00.000Z"]);
	t.deepEqual(
		s.runs.map((run) => [run.reason, run.at]),
		[
			["schedule", "2026-11-26T10:15:00.000Z"],
			["run-now", "2026-11-26T10:20:01.000Z"],
		],
	);
	t.is(s.mostAtOnce(), 1);
	t.is(s.scheduler.plan.download?.toISOString(), "2026-11-26T10:30:00.000Z");
});

test("stop waits for the current run to finish", async (t) => {
	const s = startScheduler({
		start: "2026-11-26T10:14:00.000Z",
		download: every(15),
		runMs: 5 * minute,
	});
	await s.clock.advanceTo("2026-11-26T10:15:30.000Z");
	let finished = false;
	const stopped = s.stop().then(() => {
		finished = true;
	});
	t.false(finished);
	await stopped;
	t.true(s.clock.now().getTime() >= Date.parse("2026-11-26T10:20:00.000Z"));
	t.is(s.runs.length, 1);
});
