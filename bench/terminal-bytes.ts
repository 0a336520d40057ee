import { writeLargeDatabase } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { cdxBin } from "./lib/paths.js";
import { pause } from "./lib/stats.js";
import { startTerminal, type Terminal } from "./lib/tmux.js";

const moves = 100;
const settleMs = 40;

/** Bytes written to the terminal while `act` runs, less what the panel's ticks wrote meanwhile. */
async function bytesOf(
	terminal: Terminal,
	tickBytesPerMs: number,
	act: () => Promise<void>,
): Promise<number> {
	const before = await terminal.outputBytes();
	const started = performance.now();
	await act();
	await pause(300);
	const elapsed = performance.now() - started;
	return (await terminal.outputBytes()) - before - tickBytesPerMs * elapsed;
}

/**
 * What one key costs on the wire, in tmux (100×30) over the 10,000-database
 * fixture with the Channel database list open: bytes per cursor move and
 * per key typed into the filter. The panel ticks meanwhile; its rate on the
 * same screen, measured just before, is subtracted. Baseline: repainting
 * the whole list screen (after a resize), what every frame cost before.
 */
async function measure(): Promise<MeasurementResult> {
	const db = await writeLargeDatabase("terminal-bytes");
	const terminal = await startTerminal(`${cdxBin} --db ${db}`);
	try {
		await terminal.go();
		await terminal.waitForOutput("q quit");
		await pause(500);
		await terminal.keys([":"]);
		await terminal.keys(["chdb"], true);
		await terminal.keys(["Enter"]);
		await terminal.waitFor((screen) => screen.includes("10,000 records"));
		await pause(1000);
		const idleBefore = await terminal.outputBytes();
		await pause(10_000);
		const tickBytesPerMs =
			((await terminal.outputBytes()) - idleBefore) / 10_000;
		progress("cursor moves");
		const down = await bytesOf(terminal, tickBytesPerMs, async () => {
			for (let index = 0; index < moves; index++) {
				await terminal.keys(["Down"]);
				await pause(settleMs);
			}
		});
		progress("filter keys");
		const query = "store-0123";
		await terminal.keys(["/"]);
		await pause(200);
		const typing = await bytesOf(terminal, tickBytesPerMs, async () => {
			for (const character of query) {
				await terminal.keys([character], true);
				await pause(settleMs);
			}
			for (let index = 0; index < query.length; index++) {
				await terminal.keys(["BSpace"]);
				await pause(settleMs);
			}
		});
		const screen = await terminal.screen();
		if (!screen.includes("Filter:"))
			throw new Error(`the filter is not open:\n${screen}`);
		// A resize repaints the whole screen: what every frame cost before.
		await terminal.keys(["Escape"]);
		await pause(300);
		await terminal.resize(99, 30);
		await pause(500);
		const repaintStart = await terminal.outputBytes();
		await terminal.resize(100, 30);
		await pause(500);
		const full = {
			name: "whole list screen (a repaint)",
			value: (await terminal.outputBytes()) - repaintStart,
		};
		return {
			id: "terminal-bytes",
			title: "Terminal output per key (Channel database list, 10,000 rows)",
			method: `Built cdx in tmux (100×30), bytes the program wrote to the terminal (tmux pipe-pane) for ${moves} cursor-down presses and for ${query.length * 2} keys typed into and erased from the / filter, ${settleMs} ms apart; the panel's tick rate on the same screen, measured over 10 s just before, is subtracted. Baseline: the bytes of a whole repaint of the list screen (after a resize).`,
			figures: [
				figure("bytes per cursor move", down / moves, "B", { baseline: full }),
				figure("bytes per filter key", typing / (query.length * 2), "B", {
					baseline: full,
				}),
				figure("panel ticks on the list screen", tickBytesPerMs * 1000, "B/s"),
			],
			notes: [],
		};
	} finally {
		terminal.close();
	}
}

await runMeasurement(measure);
