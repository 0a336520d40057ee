import type { Clock } from "../source/tui/clock.js";
import { writeLargeDatabase } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { distribution, percentile } from "./lib/stats.js";

// What operators run: React's production build (the bundle defines it). Set
// before React is first imported, hence the dynamic imports below.
process.env.NODE_ENV = "production";
const React = await import("react");
const { Text, useInput } = await import("ink");
const { render } = await import("ink-testing-library");
const { ConfigurationStore } = await import(
	"../source/store/configuration-store.js"
);
const { App } = await import("../source/tui/app.js");
const { keyPacer } = await import("../source/tui/terminal/paced-input.js");

const presses = 1000;
const keys = { down: "\u001B[B", enter: "\r", backspace: "\u007F" };

type Rendered = ReturnType<typeof render>;

/**
 * Times keys from stdin.write until Ink writes a frame that shows the key's
 * effect (`shows`), as a terminal would receive it. Ink renders in debug mode
 * here (ink-testing-library), which writes every frame unthrottled; React 19
 * renders in scheduler tasks, so the wait is for the frame, not for write()
 * to return. Keys go through the bin's pacer (keyPacer): each is written
 * once React settled from the one before.
 */
function keyTimer(app: Rendered) {
	let waiting: ((frame: string) => void) | null = null;
	const write = app.stdout.write;
	app.stdout.write = (frame: string) => {
		write(frame);
		waiting?.(frame);
	};
	let started = 0;
	const pacer = keyPacer((key) => {
		started = performance.now();
		app.stdin.write(key);
	});
	return async (key: string, shows: (frame: string) => boolean) => {
		const shown = new Promise<number>((resolve, reject) => {
			const timeout = setTimeout(
				() =>
					reject(
						new Error(
							`key ${JSON.stringify(key)}: no frame showed it in 5 s; last frame:\n${app.lastFrame()}`,
						),
					),
				5000,
			);
			waiting = (frame) => {
				if (!shows(frame)) return;
				clearTimeout(timeout);
				waiting = null;
				resolve(performance.now() - started);
			};
		});
		pacer.push(key);
		const ms = await shown;
		await pacer.settled();
		return ms;
	};
}

async function waitForFrame(app: Rendered, text: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!(app.lastFrame() ?? "").includes(text)) {
		if (Date.now() > deadline)
			throw new Error(`never showed ${text}:\n${app.lastFrame()}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The selected row of a list (the line marked "›"). */
function selectedLine(frame: string): string {
	return frame.split("\n").find((line) => line.startsWith("›")) ?? "";
}

/** What the filter field shows (the cursor is a space at its end), or null when it is closed. */
function filterText(frame: string): string | null {
	const line = frame
		.split("\n")
		.find((candidate) => /^Filter:( |$)/.test(candidate));
	return line === undefined ? null : line.slice("Filter:".length).trim();
}

/** A clock that never ticks: the live panel's second hand would add frames no key asked for. */
const stillClock: Clock = { now: () => new Date(), every: () => () => {} };

async function measureApp(): Promise<{
	down: number[];
	filter: number[];
}> {
	const db = await writeLargeDatabase("keypress");
	const store = await ConfigurationStore.open(db, { author: "bench@tui" });
	const app = render(React.createElement(App, { store, clock: stillClock }));
	await waitForFrame(app, "Retail");
	const press = keyTimer(app);
	const any = () => true;
	for (const key of [":", ..."chdb", keys.enter]) await press(key, any);
	await waitForFrame(app, "10,000 records");

	const down: number[] = [];
	for (let index = 1; index <= presses; index++) {
		const expected = `STORE-${String(index).padStart(5, "0")}`;
		down.push(
			await press(keys.down, (frame) => selectedLine(frame).includes(expected)),
		);
		if (index % 250 === 0) progress(`cursor down ${index}/${presses}`);
	}

	await press("/", (frame) => filterText(frame) === "");
	const filter: number[] = [];
	// Type a store number, then take it back, until 1,000 keys were pressed.
	let typed = "";
	for (let round = 0; filter.length < presses; round++) {
		const query = `store-0${String((round * 7919) % 10_000).padStart(4, "0")}`;
		for (const character of query) {
			typed += character;
			const wanted = typed;
			filter.push(
				await press(character, (frame) => filterText(frame) === wanted),
			);
		}
		while (typed !== "") {
			typed = typed.slice(0, -1);
			const wanted = typed;
			filter.push(
				await press(keys.backspace, (frame) => filterText(frame) === wanted),
			);
		}
		if (round % 10 === 9) progress(`filter keys ${filter.length}/${presses}`);
	}
	app.unmount();
	return { down, filter: filter.slice(0, presses) };
}

/** The baseline: a counter that counts key presses, the least an Ink app can do per key. */
function Counter() {
	const [count, setCount] = React.useState(0);
	useInput(() => setCount((before) => before + 1));
	return React.createElement(Text, null, `Keys pressed: ${count}`);
}

async function measureBaseline(): Promise<number[]> {
	const app = render(React.createElement(Counter));
	await waitForFrame(app, "Keys pressed: 0");
	const press = keyTimer(app);
	const times: number[] = [];
	for (let index = 1; index <= presses; index++)
		times.push(
			await press(keys.down, (frame) =>
				frame.includes(`Keys pressed: ${index}`),
			),
		);
	app.unmount();
	return times;
}

async function measure(): Promise<MeasurementResult> {
	const baseline = await measureBaseline();
	const { down, filter } = await measureApp();
	const base = (p: number) => ({
		name: `Ink counter, p${p}`,
		value: percentile(baseline, p),
	});
	const p50 = { atMost: 2, text: "p50 ≤ 2 ms" };
	const p99 = { atMost: 8, text: "p99 ≤ 8 ms" };
	return {
		id: "keypress",
		title: "Key press to frame (Channel database list, 10,000 rows)",
		method: `In-process: App on a ConfigurationStore over the 10,000-database fixture, rendered by ink-testing-library with React's production build, text measured by source/tui/terminal/text-width.ts and frames built by frame-output.ts as in the bundle, and a clock that does not tick; ":" chdb Enter opens the list. Time from stdin.write until Ink writes the frame showing the key, ${presses} cursor-down presses, then ${presses} keys typed into the / filter (a store number typed and erased again); keys go through the bin's pacer (keyPacer), each once React settled from the one before. Baseline: a one-line Ink counter, ${presses} keys, same timing.`,
		figures: [
			figure("cursor down p50", percentile(down, 50), "ms", {
				baseline: base(50),
				target: p50,
			}),
			figure("cursor down p99", percentile(down, 99), "ms", {
				baseline: base(99),
				target: p99,
			}),
			figure("filter typing p50", percentile(filter, 50), "ms", {
				baseline: base(50),
				target: p50,
			}),
			figure("filter typing p99", percentile(filter, 99), "ms", {
				baseline: base(99),
				target: p99,
			}),
		],
		notes: [],
		details: {
			cursorDown: distribution(down),
			filterTyping: distribution(filter),
			baseline: distribution(baseline),
		},
	};
}

await runMeasurement(measure);
