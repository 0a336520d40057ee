import { join } from "node:path";
import { abortableSleep, type Clock } from "../../source/client/clock.js";
import { runClient } from "../../source/client/runtime.js";
import type { ClientSetup } from "./client-setup.js";
import { tempFolder } from "./fixtures.js";

/**
 * A clock that runs `factor` times faster than the wall clock, on real
 * timers: a sleep of `ms` is a setTimeout of ms ÷ factor. Every delay the
 * timers add is multiplied by `factor` when read on this clock.
 */
export class AcceleratedClock implements Clock {
	readonly #startMs = Date.now();
	readonly #startPerformance = performance.now();

	constructor(readonly factor: number) {}

	now = (): Date =>
		new Date(
			this.#startMs +
				(performance.now() - this.#startPerformance) * this.factor,
		);

	sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
		abortableSleep(ms / this.factor, signal);
}

/** The runs a client's log records: "<ISO time> info <db>: download run started (schedule)". */
export function runStarts(
	log: string,
): { at: number; direction: string; reason: string }[] {
	const starts: { at: number; direction: string; reason: string }[] = [];
	for (const match of log.matchAll(
		/^(\S+) info [^:]+: (download|upload) run started \(([a-z-]+)\)$/gm,
	))
		starts.push({
			at: Date.parse(match[1] as string),
			direction: match[2] as string,
			reason: match[3] as string,
		});
	return starts;
}

/**
 * The set-up's client runtime (runClient: scheduler, cycles, state
 * publisher, watchers) in this process on an AcceleratedClock of `factor`,
 * logging to a file of its own; `stop` ends it and waits until it has.
 */
export async function runAcceleratedClient(
	setup: ClientSetup,
	factor: number,
	caseId: string,
) {
	const logFile = join(await tempFolder(`${caseId}-log`), "client.log");
	const clock = new AcceleratedClock(factor);
	const stop = new AbortController();
	const startedAt = clock.now().getTime();
	const running = runClient({
		databasePath: setup.db,
		channelDatabase: setup.channelDatabase,
		clock,
		logFile,
		stop: stop.signal,
	});
	return {
		clock,
		/** The clock's time as the client started, ms. */
		startedAt,
		logFile,
		stop: async () => {
			stop.abort();
			await running;
		},
	};
}
