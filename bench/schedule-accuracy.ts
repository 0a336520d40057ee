import { readFile } from "node:fs/promises";
import { runAcceleratedClient, runStarts } from "./lib/accelerated-clock.js";
import { makeClientSetup } from "./lib/client-setup.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { distribution, pause, percentile } from "./lib/stats.js";

const factor = 20;
const clockMinutes = 40;
const minuteMs = 60_000;

/** Plain setTimeout lateness at the same real interval, in the same process at the same time. */
async function timerLateness(
	intervalMs: number,
	until: () => boolean,
): Promise<number[]> {
	const late: number[] = [];
	while (!until()) {
		const due = performance.now() + intervalMs;
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
		late.push(performance.now() - due);
	}
	return late;
}

/**
 * The Async Client's runtime (runClient: scheduler, cycles, state
 * publisher, watchers) in this process, on a clock 20× faster than the
 * wall clock with real timers underneath, downloading every minute. Each
 * run's start is read from the client's log (clock time, ms) and compared
 * with its minute on the grid.
 */
async function measure(): Promise<MeasurementResult> {
	const setup = await makeClientSetup({
		name: "STORE-1",
		downloadIntervalMinutes: 1,
		uploadIntervalMinutes: 1440,
	});
	const { clock, startedAt, logFile, stop } = await runAcceleratedClient(
		setup,
		factor,
		"schedule",
	);
	const endAt = startedAt + clockMinutes * minuteMs;
	const baseline = timerLateness(
		minuteMs / factor,
		() => clock.now().getTime() >= endAt,
	);
	for (let minute = 10; minute <= clockMinutes; minute += 10) {
		while (clock.now().getTime() < startedAt + minute * minuteMs)
			await pause(100);
		progress(`schedule: ${minute}/${clockMinutes} clock minutes`);
	}
	await stop();
	const timers = await baseline;
	const starts = runStarts(await readFile(logFile, "utf8")).filter(
		(start) => start.direction === "download",
	);
	const scheduled = starts.filter((start) => start.reason === "schedule");
	// Each scheduled run belongs to the grid minute at or before it.
	const byMinute = new Map<number, number[]>();
	for (const start of scheduled) {
		const minute = Math.floor(start.at / minuteMs) * minuteMs;
		byMinute.set(minute, [...(byMinute.get(minute) ?? []), start.at - minute]);
	}
	const first = Math.ceil(startedAt / minuteMs) * minuteMs + minuteMs;
	const last =
		Math.floor(Math.max(...scheduled.map((s) => s.at)) / minuteMs) * minuteMs;
	let missed = 0;
	let doubled = 0;
	for (let minute = first; minute <= last; minute += minuteMs) {
		const runs = byMinute.get(minute)?.length ?? 0;
		if (runs === 0) missed += 1;
		if (runs > 1) doubled += runs - 1;
	}
	const clockLate = [...byMinute.values()].flat();
	const realLate = clockLate.map((ms) => ms / factor);
	return {
		id: "schedule-accuracy",
		title:
			"Schedule accuracy of the client (1-minute interval, accelerated clock, real timers)",
		method: `runClient in-process with a clock ${factor}× faster than real time (real setTimeout underneath), download every minute, ${clockMinutes} clock minutes (${(clockMinutes * 60) / factor} s real). |actual − scheduled| of each scheduled run start, from the client's log. On this clock every real delay is ${factor}× longer, so the target applies to the real-time error (clock error ÷ ${factor}); the clock-time error is reported too. Baseline: lateness of a plain setTimeout at the same real interval, in the same process, at the same time.`,
		figures: [
			figure(
				"run start error p99 (real time)",
				percentile(realLate, 99),
				"ms",
				{
					baseline: {
						name: "setTimeout lateness p99",
						value: percentile(timers, 99),
					},
					target: { atMost: 50, text: "p99 ≤ 50 ms" },
				},
			),
			figure(
				"run start error p50 (real time)",
				percentile(realLate, 50),
				"ms",
				{
					baseline: {
						name: "setTimeout lateness p50",
						value: percentile(timers, 50),
					},
				},
			),
			figure(
				"run start error p99 (clock time)",
				percentile(clockLate, 99),
				"ms",
			),
			figure("missed runs", missed, "runs", {
				target: { atMost: 0, text: "none" },
			}),
			figure("doubled runs", doubled, "runs", {
				target: { atMost: 0, text: "none" },
			}),
			figure("scheduled runs checked", clockLate.length, "runs"),
		],
		notes: [],
		details: {
			realTimeErrorMs: distribution(realLate),
			clockTimeErrorMs: distribution(clockLate),
			setTimeoutLatenessMs: distribution(timers),
		},
	};
}

await runMeasurement(measure);
