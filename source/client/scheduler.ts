import type { Direction } from "../domain/profile-schedule.js";
import { type DirectionSchedule, nextRun } from "../domain/schedule.js";
import type { Clock } from "./clock.js";

export type RunReason = "schedule" | "catch-up" | "run-now";

/** The next scheduled time of each direction; null when its schedule has none. */
export type SchedulePlan = Record<Direction, Date | null>;

export type SchedulerOptions = {
	clock: Clock;
	schedules: Record<Direction, DirectionSchedule>;
	/** When each direction last started a run (from the previous state file); null if never. */
	lastRunAt: Record<Direction, Date | null>;
	/** Runs one cycle. It should not throw; if it does, the scheduler carries on. */
	runCycle(direction: Direction, reason: RunReason): Promise<void>;
	/** Whether an operator asked for a run now (checked every slice). */
	runNowRequested?(direction: Direction): boolean;
	/** Operator requests that must not overlap a run (session retry or cancel): checked every slice, handled between runs. */
	requests?: OperatorRequests;
	/** Called whenever a next time changes, including when a run starts. */
	onPlanChanged?(plan: SchedulePlan): void;
	/** The longest single sleep; the wall clock is re-read after each. */
	sliceMs?: number;
};

export type OperatorRequests = {
	pending(): boolean;
	/** Resolves to the directions that should run now because of the requests handled. */
	handle(): Promise<Direction[]>;
};

export const directions: readonly Direction[] = ["download", "upload"];

/*
 * A clock set back by less than this is treated as a correction: runs whose
 * times already passed are not repeated (as cron does). Set back further, the
 * old next times would leave the client idle for too long, so it starts over
 * from the new time.
 */
const largestCorrectionMs = 3 * 60 * 60 * 1000;

/**
 * Decides when each direction runs. It never holds one long timer: it sleeps
 * at most a slice, reads the wall clock again and compares it with the next
 * times, so a clock jump, a suspend or a long interval can neither skip a run
 * nor run it twice. A time that passed while asleep (or while another run was
 * going) gives one run, then the next time is the first one after that run
 * began. Runs are one at a time: download and upload never overlap, and a
 * direction never overlaps itself.
 */
export class Scheduler {
	readonly #options: SchedulerOptions;
	readonly #sliceMs: number;
	#schedules: Record<Direction, DirectionSchedule>;
	readonly #next: SchedulePlan = { download: null, upload: null };
	readonly #catchUp = new Set<Direction>();
	/** Runs that handled requests asked for: they start as a run now would. */
	readonly #requested = new Set<Direction>();
	#running: Promise<void> | null = null;
	#stopped = false;
	#woken = false;
	/**
	 * Ends the current sleep early. One serves every slice until a wake
	 * aborts it: a new one each second was most of the work of a scheduler
	 * driven through days of slices by a test's clock.
	 */
	#wakeUp = new AbortController();
	#lastSeenMs: number | null = null;

	constructor(options: SchedulerOptions) {
		this.#options = options;
		this.#sliceMs = Math.min(options.sliceMs ?? 1000, 1000);
		this.#schedules = options.schedules;
		const now = options.clock.now();
		for (const direction of directions) {
			this.#next[direction] = this.#nextAfter(direction, now);
			if (this.#missedSinceLastRun(direction, now))
				this.#catchUp.add(direction);
		}
	}

	get plan(): SchedulePlan {
		return { ...this.#next };
	}

	/**
	 * Takes a new schedule (the profile changed). Directions whose schedule
	 * changed get a new next time at once; returns whether any did.
	 */
	setSchedules(schedules: Record<Direction, DirectionSchedule>): boolean {
		const now = this.#options.clock.now();
		let changed = false;
		for (const direction of directions) {
			if (sameSchedule(this.#schedules[direction], schedules[direction]))
				continue;
			this.#schedules = {
				...this.#schedules,
				[direction]: schedules[direction],
			};
			this.#next[direction] = this.#nextAfter(direction, now);
			changed = true;
		}
		if (changed) {
			this.#options.onPlanChanged?.(this.plan);
			this.wake();
		}
		return changed;
	}

	/** Ends a sleep early: something (a request, a new schedule) wants a look now. */
	wake(): void {
		this.#woken = true;
		this.#wakeUp.abort();
	}

	/** No new runs; run() resolves once the current run has finished. */
	stop(): void {
		this.#stopped = true;
		this.wake();
	}

	async run(): Promise<void> {
		while (!this.#stopped) {
			const now = this.#options.clock.now();
			this.#noticeClockSetBack(now);
			if (this.#running === null) {
				const requests = this.#options.requests;
				if (requests?.pending()) this.#handleRequests(requests);
				else {
					const due = this.#due(now);
					if (due !== null) this.#start(due.direction, due.reason, now);
				}
			}
			await this.#sleep(now);
		}
		await this.#running;
	}

	#due(now: Date): { direction: Direction; reason: RunReason } | null {
		for (const direction of directions) {
			if (
				this.#requested.has(direction) ||
				this.#options.runNowRequested?.(direction)
			)
				return { direction, reason: "run-now" };
			if (this.#catchUp.has(direction))
				return { direction, reason: "catch-up" };
			const next = this.#next[direction];
			if (next !== null && now.getTime() >= next.getTime())
				return { direction, reason: "schedule" };
		}
		return null;
	}

	#start(direction: Direction, reason: RunReason, now: Date): void {
		this.#catchUp.delete(direction);
		this.#requested.delete(direction);
		// Whatever started it, this run covers every time up to now.
		const next = this.#next[direction];
		if (
			next === null ||
			next.getTime() <= now.getTime() ||
			reason !== "run-now"
		)
			this.#next[direction] = this.#nextAfter(direction, now);
		this.#options.onPlanChanged?.(this.plan);
		this.#occupy(this.#options.runCycle(direction, reason));
	}

	// Requests are handled in the run slot, so a run never sees its files change under it.
	#handleRequests(requests: OperatorRequests): void {
		this.#occupy(
			requests.handle().then((directions) => {
				for (const direction of directions) this.#requested.add(direction);
			}),
		);
	}

	#occupy(work: Promise<void>): void {
		this.#running = work
			.catch(() => {})
			.finally(() => {
				this.#running = null;
				this.wake();
			});
	}

	async #sleep(now: Date): Promise<void> {
		if (this.#woken || this.#stopped) {
			this.#woken = false;
			return;
		}
		let waitMs = this.#sliceMs;
		if (this.#running === null) {
			for (const next of Object.values(this.#next)) {
				if (next !== null)
					waitMs = Math.min(waitMs, next.getTime() - now.getTime());
			}
		}
		if (this.#wakeUp.signal.aborted) this.#wakeUp = new AbortController();
		await this.#options.clock.sleep(Math.max(1, waitMs), this.#wakeUp.signal);
		this.#woken = false;
	}

	#noticeClockSetBack(now: Date): void {
		const nowMs = now.getTime();
		const setBackMs = this.#lastSeenMs === null ? 0 : this.#lastSeenMs - nowMs;
		this.#lastSeenMs = nowMs;
		if (setBackMs <= largestCorrectionMs) return;
		for (const direction of directions)
			this.#next[direction] = this.#nextAfter(direction, now);
		this.#options.onPlanChanged?.(this.plan);
	}

	/** A scheduled time passed since the last run began (or there never was one): catch up once. */
	#missedSinceLastRun(direction: Direction, now: Date): boolean {
		const last = this.#options.lastRunAt[direction];
		if (last === null) return true;
		const due = this.#nextAfter(direction, last);
		return due !== null && due.getTime() <= now.getTime();
	}

	#nextAfter(direction: Direction, time: Date): Date | null {
		try {
			return nextRun(this.#schedules[direction], time);
		} catch {
			// The configuration is checked before it gets here; a schedule with no next time waits.
			return null;
		}
	}
}

function sameSchedule(a: DirectionSchedule, b: DirectionSchedule): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}
