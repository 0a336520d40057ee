import { open } from "node:fs/promises";
import { runAcceleratedClient } from "./lib/accelerated-clock.js";
import { makeClientSetup } from "./lib/client-setup.js";
import { writeLargeDatabase } from "./lib/fixtures.js";
import { buildHelloWorld } from "./lib/hello-world.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { cdxBin } from "./lib/paths.js";
import { pause, round } from "./lib/stats.js";
import { memoryOf, startTerminal } from "./lib/tmux.js";

const cycles = 10_000;
const mib = 1024 * 1024;

/** Peak RSS of a program in tmux once it showed its frame and `use` ran. */
async function peakOf(
	command: string,
	use: (
		keys: (keys: string[], literal?: boolean) => Promise<void>,
	) => Promise<void>,
): Promise<number> {
	const terminal = await startTerminal(command);
	try {
		await terminal.go();
		await terminal.waitForOutput("q quit");
		await use(terminal.keys);
		await pause(3000);
		return (await memoryOf(await terminal.pid())).peakMiB;
	} finally {
		terminal.close();
	}
}

async function tuiPeaks(): Promise<{ cdx: number; hello: number }> {
	const db = await writeLargeDatabase("memory");
	const hello = await buildHelloWorld();
	const node = process.execPath;
	const helloPeak = await peakOf(`${node} ${hello}`, async () => {});
	// The list of 10,000 channel databases open and scrolled, the panel ticking.
	const cdxPeak = await peakOf(`${cdxBin} --db ${db}`, async (keys) => {
		await pause(1000);
		await keys([":"]);
		await keys(["chdb"], true);
		await keys(["Enter"]);
		await pause(1500);
		for (let index = 0; index < 30; index++) await keys(["PageDown"]);
		await keys(["/"]);
		await keys(["store-01"], true);
		await pause(1000);
		await keys(["Escape"]);
	});
	return { cdx: cdxPeak, hello: helloPeak };
}

type HeapSample = { cycles: number; heapMiB: number; rssMiB: number };

/**
 * Counts "run started" lines as the log grows, reading only what is new,
 * so the bench itself holds no copy of the growing log (it would show as
 * heap growth).
 */
function runCounter(logFile: string): () => Promise<number> {
	let read = 0;
	let count = 0;
	let tail = "";
	const marker = " run started (";
	return async () => {
		const handle = await open(logFile, "r").catch(() => null);
		if (handle === null) return count;
		try {
			const { size } = await handle.stat();
			if (size <= read) return count;
			const buffer = Buffer.alloc(size - read);
			await handle.read(buffer, 0, buffer.length, read);
			read = size;
			const text = tail + buffer.toString("utf8");
			for (
				let at = text.indexOf(marker);
				at !== -1;
				at = text.indexOf(marker, at + 1)
			)
				count += 1;
			tail = text.slice(-marker.length);
			return count;
		} finally {
			await handle.close();
		}
	};
}

/**
 * The client's runtime in this process on a clock so fast that a download
 * and an upload are due all the time: runs follow each other as fast as they
 * go. After every 1,000 runs (the runtime calls each a cycle) a full GC,
 * then the heap and RSS are sampled.
 */
async function clientHeap(): Promise<HeapSample[]> {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error("run with node --expose-gc (bench/run.ts does)");
	const setup = await makeClientSetup({
		name: "STORE-1",
		downloadIntervalMinutes: 1,
		uploadIntervalMinutes: 1,
	});
	// One clock minute per real millisecond.
	const client = await runAcceleratedClient(setup, 60_000, "memory");
	const samples: HeapSample[] = [];
	const counter = runCounter(client.logFile);
	for (let next = 1000; next <= cycles; ) {
		await pause(200);
		const counted = await counter();
		if (counted < next) continue;
		gc();
		const usage = process.memoryUsage();
		samples.push({
			cycles: counted,
			heapMiB: round(usage.heapUsed / mib),
			rssMiB: round(usage.rss / mib),
		});
		progress(`client cycles ${counted}/${cycles}`);
		next += 1000;
	}
	await client.stop();
	return samples;
}

async function measure(): Promise<MeasurementResult> {
	const tui = await tuiPeaks();
	const samples = await clientHeap();
	const first = samples[0] as HeapSample;
	const last = samples.at(-1) as HeapSample;
	return {
		id: "memory",
		title:
			"Memory: TUI with 10,000 channel databases, client over 10,000 cycles",
		method: `TUI: peak RSS (VmHWM from /proc/<pid>/status) of the built cdx in tmux after start-up, opening the Channel database list, paging through it and filtering, 3 s of panel ticks; baseline: a bare Ink hello world bundled the same way (bench/hello-world.tsx), same measure. Client: runClient in this process on a clock 60,000× faster than real time, so downloads and uploads run back to back; heap after a full GC every 1,000 cycles (runs), from cycle ${first.cycles} to ${last.cycles}.`,
		figures: [
			figure("TUI peak RSS", tui.cdx, "MiB", {
				baseline: { name: "Ink hello world peak RSS", value: tui.hello },
				target: { atMost: 2, of: "ratio", text: "≤ 2× Ink hello world" },
			}),
			figure(
				`client heap growth, cycle ${first.cycles} to ${last.cycles}`,
				last.heapMiB - first.heapMiB,
				"MiB",
				{
					baseline: {
						name: `heap after ${first.cycles} cycles`,
						value: first.heapMiB,
					},
					target: { atMost: 1, text: "flat (≤ 1 MiB growth)" },
				},
			),
			figure(
				`client RSS growth, cycle ${first.cycles} to ${last.cycles}`,
				last.rssMiB - first.rssMiB,
				"MiB",
			),
		],
		notes: [],
		details: { clientSamples: samples },
	};
}

await runMeasurement(measure);
