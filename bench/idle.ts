import { readFile } from "node:fs/promises";
import { addClientDatabase, startIdleClient } from "./lib/client-setup.js";
import { writeLargeDatabase } from "./lib/fixtures.js";
import { buildHelloWorld } from "./lib/hello-world.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { cdxBin } from "./lib/paths.js";
import { pause } from "./lib/stats.js";
import { cpuTimeMs, startTerminal, type Terminal } from "./lib/tmux.js";

const windowMs = 60_000;

type Sample = { cpuMs: number; bytes: number };

async function sample(terminal: Terminal, pid: number): Promise<Sample> {
	return { cpuMs: await cpuTimeMs(pid), bytes: await terminal.outputBytes() };
}

/** Full redraws: Ink clears the screen (and scrollback) when a frame is as tall as the terminal. */
function clears(bytes: Buffer): number {
	let count = 0;
	for (const code of ["\u001B[2J", "\u001B[3J"]) {
		let at = bytes.indexOf(code);
		while (at !== -1) {
			count += 1;
			at = bytes.indexOf(code, at + 1);
		}
	}
	return count;
}

/**
 * The TUI left alone for a minute on the main screen, its live panel
 * ticking every second over the 10,000 channel databases, one of them with
 * a running client (heartbeat every 2 s). CPU time from /proc/<pid>/stat and
 * bytes written to the terminal (tmux pipe-pane) over the same window, for
 * cdx and, beside it, a bare Ink app with a clock ticking every second.
 */
async function measure(): Promise<MeasurementResult> {
	const db = await writeLargeDatabase("idle");
	const setup = await addClientDatabase(db, {
		name: "LIVE-1",
		downloadIntervalMinutes: 15,
		uploadIntervalMinutes: 30,
	});
	const client = await startIdleClient(setup);
	const hello = await buildHelloWorld();
	const node = process.execPath;
	const cdx = await startTerminal(`${cdxBin} --db ${db}`);
	const bare = await startTerminal(`${node} ${hello} --tick`);
	try {
		await Promise.all([cdx.go(), bare.go()]);
		await Promise.all([
			cdx.waitForOutput("q quit"),
			bare.waitForOutput("q quit"),
		]);
		// Start-up work (watchers, first reads of the state folder) is not idle.
		await pause(5000);
		const pids = { cdx: await cdx.pid(), bare: await bare.pid() };
		const before = {
			cdx: await sample(cdx, pids.cdx),
			bare: await sample(bare, pids.bare),
		};
		progress(`idle for ${windowMs / 1000} s`);
		await pause(windowMs);
		const after = {
			cdx: await sample(cdx, pids.cdx),
			bare: await sample(bare, pids.bare),
		};
		const screen = await cdx.screen();
		if (!screen.includes("LIVE-1") && !screen.includes("q quit"))
			throw new Error(`the TUI is not showing its frame:\n${screen}`);
		const output = await readFile(cdx.outputFile);
		const idleOutput = output.subarray(before.cdx.bytes, after.cdx.bytes);
		const seconds = windowMs / 1000;
		const cpuShare = (name: "cdx" | "bare") =>
			((after[name].cpuMs - before[name].cpuMs) / windowMs) * 100;
		const bytesPerSecond = (name: "cdx" | "bare") =>
			(after[name].bytes - before[name].bytes) / seconds;
		return {
			id: "idle",
			title:
				"Idle cost of the TUI with the live panel (10,000 channel databases, one client running)",
			method: `Built cdx in tmux (100×30) on the main screen, live panel ticking every second, one client running (heartbeat every 2 s): CPU time (utime+stime from /proc/<pid>/stat) and bytes written to the terminal (tmux pipe-pane) over ${seconds} s after 5 s of settling. Baseline: a bare Ink app with a clock that changes every second, measured beside it over the same window.`,
			figures: [
				figure("CPU while idle", cpuShare("cdx"), "% of one core", {
					baseline: { name: "Ink clock app", value: cpuShare("bare") },
					target: { atMost: 1, text: "≤ 1% of one core" },
				}),
				figure("terminal output while idle", bytesPerSecond("cdx"), "B/s", {
					baseline: { name: "Ink clock app", value: bytesPerSecond("bare") },
					target: { atMost: 200, text: "≤ 200 B/s" },
				}),
				figure("full-screen clears while idle", clears(idleOutput), "clears", {
					target: { atMost: 0, text: "none" },
				}),
			],
			notes: [],
			details: {
				cpuMs: {
					cdx: after.cdx.cpuMs - before.cdx.cpuMs,
					bare: after.bare.cpuMs - before.bare.cpuMs,
				},
				bytes: {
					cdx: after.cdx.bytes - before.cdx.bytes,
					bare: after.bare.bytes - before.bare.bytes,
				},
			},
		};
	} finally {
		cdx.close();
		bare.close();
		await client.stop();
	}
}

await runMeasurement(measure);
