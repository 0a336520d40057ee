import { writeLargeDatabase } from "./lib/fixtures.js";
import { buildHelloWorld } from "./lib/hello-world.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { cdxBin } from "./lib/paths.js";
import { median, round } from "./lib/stats.js";
import { startTerminal } from "./lib/tmux.js";

const runs = 12;
const ready = "cdx-bench-ready";

/**
 * Wall time from releasing `command` in a ready 100×30 tmux pane until it
 * has written `marker` to the terminal (read from the pane's output, piped
 * to a file). Every program is timed this way, so the signal through tmux
 * and the pipe are in both the figure and the baseline.
 */
async function timeToScreen(command: string, marker: string): Promise<number> {
	const terminal = await startTerminal(command);
	try {
		const started = performance.now();
		await terminal.go();
		await terminal.waitForOutput(marker);
		return performance.now() - started;
	} finally {
		terminal.close();
	}
}

async function measure(): Promise<MeasurementResult> {
	const db = await writeLargeDatabase("startup");
	const hello = await buildHelloWorld();
	const node = process.execPath;
	const programs = {
		baseline: {
			command: `sh -c '${node} -e 0 && echo ${ready} && exec sleep 60'`,
			marker: ready,
		},
		cdx: { command: `${cdxBin} --db ${db}`, marker: "q quit" },
		hello: { command: `${node} ${hello}`, marker: "q quit" },
	};
	const times: Record<keyof typeof programs, number[]> = {
		baseline: [],
		cdx: [],
		hello: [],
	};
	// One untimed round warms the file cache; then the programs take turns.
	for (let round = 0; round <= runs; round++) {
		for (const [name, program] of Object.entries(programs)) {
			const ms = await timeToScreen(program.command, program.marker);
			if (round > 0) times[name as keyof typeof programs].push(ms);
		}
		if (round > 0) progress(`start-up round ${round}/${runs}`);
	}
	const baseline = { name: "node -e 0", value: median(times.baseline) };
	return {
		id: "startup",
		title:
			"Start-up to first full frame (10,000 channel databases, 200 profiles)",
		method: `Built cdx (dist/cdx.js) in a tmux pane (100×30): time from releasing the command in a ready pane until the footer ("q quit", the frame's last line) reaches the terminal, median of ${runs}; baseline: node -e 0 then echo of a marker, timed the same way, in alternating runs.`,
		figures: [
			figure("cdx start-up (median)", median(times.cdx), "ms", {
				baseline,
				target: { atMost: 2.5, of: "ratio", text: "≤ 2.5× baseline" },
			}),
			figure("Ink hello world, bundled (median)", median(times.hello), "ms", {
				baseline,
			}),
		],
		notes: [],
		details: {
			samplesMs: Object.fromEntries(
				Object.entries(times).map(([name, values]) => [
					name,
					values.map(round),
				]),
			),
		},
	};
}

await runMeasurement(measure);
