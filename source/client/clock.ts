/**
 * Where the client gets time. Tests pass a fake one; the scheduler only ever
 * sleeps in short slices and re-reads `now()` after each.
 */
export type Clock = {
	now(): Date;
	/** Resolves after `ms`, or early when `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

/** A timer of `ms` that `signal` ends early. */
export function abortableSleep(
	ms: number,
	signal?: AbortSignal,
): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) {
			resolve();
			return;
		}
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener("abort", done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal?.addEventListener("abort", done, { once: true });
	});
}

export const realClock: Clock = {
	now: () => new Date(),
	sleep: abortableSleep,
};
