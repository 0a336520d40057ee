import type { Clock } from "../../source/client/clock.js";

type Sleeper = { dueMs: number; resolve: () => void };

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock for driving the scheduler through hours in milliseconds. Time is
 * two parts: elapsed time, which only sleeping moves (as a monotonic clock),
 * and a wall-clock offset, which `setWallClock`/`jump` move (as an operator or
 * NTP setting the clock, or a laptop waking from suspend).
 */
export class FakeClock implements Clock {
	#elapsedMs = 0;
	#wallOffsetMs: number;
	readonly #sleepers: Sleeper[] = [];
	/** Every sleep asked for, in ms: to prove the scheduler sleeps in short slices. */
	readonly sleeps: number[] = [];
	/** The longest sleep asked for, kept also when `sleeps` is not. */
	longestSleepMs = 0;
	readonly #recordSleeps: boolean;

	/** `recordSleeps: false` keeps `sleeps` empty, for runs too long to remember every slice (a soak). */
	constructor(start: Date | string, { recordSleeps = true } = {}) {
		this.#wallOffsetMs = new Date(start).getTime();
		this.#recordSleeps = recordSleeps;
	}

	now = (): Date => new Date(this.#wallOffsetMs + this.#elapsedMs);

	sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
		if (this.#recordSleeps) this.sleeps.push(ms);
		this.longestSleepMs = Math.max(this.longestSleepMs, ms);
		return new Promise((resolve) => {
			if (signal?.aborted) {
				resolve();
				return;
			}
			const abort = () => {
				this.#remove(sleeper);
				resolve();
			};
			// A signal can outlive many sleeps (the scheduler keeps one until a wake).
			const sleeper: Sleeper = {
				dueMs: this.#elapsedMs + ms,
				resolve: () => {
					signal?.removeEventListener("abort", abort);
					resolve();
				},
			};
			this.#sleepers.push(sleeper);
			signal?.addEventListener("abort", abort, { once: true });
		});
	};

	/** Moves the wall clock by `ms` (negative: back) without time passing. */
	jump(ms: number): void {
		this.#wallOffsetMs += ms;
	}

	/** Lets time pass: wakes each sleeper at its time, until `ms` have elapsed. */
	async advance(ms: number): Promise<void> {
		const endMs = this.#elapsedMs + ms;
		for (;;) {
			await settle();
			const next = this.#earliest();
			if (next === undefined || next.dueMs > endMs) break;
			this.#remove(next);
			this.#elapsedMs = Math.max(this.#elapsedMs, next.dueMs);
			next.resolve();
		}
		this.#elapsedMs = endMs;
		await settle();
	}

	/** Lets time pass until the wall clock shows `time`. */
	advanceTo(time: Date | string): Promise<void> {
		return this.advance(new Date(time).getTime() - this.now().getTime());
	}

	/** Lets time pass, a slice at a time, until `done` has settled. */
	async advanceUntil(
		done: Promise<unknown>,
		limitMs = 86_400_000,
	): Promise<void> {
		let finished = false;
		void done.finally(() => {
			finished = true;
		});
		const startMs = this.#elapsedMs;
		while (!finished) {
			if (this.#elapsedMs - startMs > limitMs)
				throw new Error("advanceUntil: still not settled");
			await this.advance(1000);
		}
	}

	#earliest(): Sleeper | undefined {
		let earliest: Sleeper | undefined;
		for (const sleeper of this.#sleepers)
			if (earliest === undefined || sleeper.dueMs < earliest.dueMs)
				earliest = sleeper;
		return earliest;
	}

	#remove(sleeper: Sleeper): void {
		const index = this.#sleepers.indexOf(sleeper);
		if (index !== -1) this.#sleepers.splice(index, 1);
	}
}
