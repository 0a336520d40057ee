import {
	type RunReason,
	type SchedulePlan,
	Scheduler,
} from "../../source/client/scheduler.js";
import type { Direction } from "../../source/domain/profile-schedule.js";
import type { DirectionSchedule } from "../../source/domain/schedule.js";
import { FakeClock } from "./fake-clock.js";

export const minute = 60_000;
export const hour = 60 * minute;

export type Run = { direction: Direction; reason: RunReason; at: string };

type Setup = {
	start: string;
	download?: DirectionSchedule;
	upload?: DirectionSchedule;
	/** Default: both ran just now, so nothing is caught up. */
	lastRunAt?: Partial<Record<Direction, string | null>>;
	/** How long each run takes, in fake time. */
	runMs?: number;
	/** Sees each run as it starts. */
	onRun?: (run: Run) => void;
	/**
	 * false: runs, plans and sleeps are not kept (`runs`, `plans` and
	 * `clock.sleeps` stay empty), so a long soak measures the scheduler's
	 * memory, not the harness's; use `onRun` to check each run.
	 */
	keepHistory?: boolean;
};

export const daily: DirectionSchedule = {
	mode: "interval",
	intervalMinutes: 1440,
};
export const every = (minutes: number): DirectionSchedule => ({
	mode: "interval",
	intervalMinutes: minutes,
});

/**
 * A scheduler on a fake clock whose runs are recorded (and take `runMs` of
 * fake time), with run-now requests and session requests (each naming the
 * directions it wants run; handling takes a second) the test can add.
 */
export function startScheduler(setup: Setup) {
	const keep = setup.keepHistory ?? true;
	const clock = new FakeClock(setup.start, { recordSleeps: keep });
	const runs: Run[] = [];
	const plans: SchedulePlan[] = [];
	const requests = new Set<Direction>();
	const sessionRequests: Direction[][] = [];
	const handledAt: string[] = [];
	let running = 0;
	let mostAtOnce = 0;
	const lastRun = (direction: Direction) => {
		const given = setup.lastRunAt?.[direction];
		if (given === undefined) return clock.now();
		return given === null ? null : new Date(given);
	};
	const scheduler = new Scheduler({
		clock,
		schedules: {
			download: setup.download ?? daily,
			upload: setup.upload ?? daily,
		},
		lastRunAt: { download: lastRun("download"), upload: lastRun("upload") },
		runNowRequested: (direction) => requests.has(direction),
		requests: {
			pending: () => sessionRequests.length > 0,
			handle: async () => {
				running += 1;
				mostAtOnce = Math.max(mostAtOnce, running);
				handledAt.push(clock.now().toISOString());
				await clock.sleep(1000);
				running -= 1;
				return sessionRequests.splice(0).flat();
			},
		},
		onPlanChanged: (plan) => {
			if (keep) plans.push(plan);
		},
		runCycle: async (direction, reason) => {
			requests.delete(direction);
			running += 1;
			mostAtOnce = Math.max(mostAtOnce, running);
			const run = { direction, reason, at: clock.now().toISOString() };
			if (keep) runs.push(run);
			setup.onRun?.(run);
			if (setup.runMs) await clock.sleep(setup.runMs);
			running -= 1;
		},
	});
	const done = scheduler.run();
	const stop = async () => {
		scheduler.stop();
		await clock.advanceUntil(done);
	};
	const times = (direction: Direction) =>
		runs.filter((run) => run.direction === direction).map((run) => run.at);
	return {
		clock,
		scheduler,
		runs,
		plans,
		requests,
		sessionRequests,
		handledAt,
		times,
		stop,
		mostAtOnce: () => mostAtOnce,
	};
}
