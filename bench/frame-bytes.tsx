import { EventEmitter } from "node:events";
import {
	figure,
	type MeasurementResult,
	runMeasurement,
} from "./lib/measurement.js";
import { pause } from "./lib/stats.js";

// Ink draws only the last frame when it thinks it runs under CI.
delete process.env.CI;
const { Box, render, Text } = await import("ink");
const { changedCellsOnly } = await import(
	"../source/tui/terminal/changed-cells.js"
);

const columns = 80;
const rows = 24;
const ticks = 50;
// Apart enough that Ink (30 frames a second at most) draws each tick.
const tickMs = 60;

/** A terminal that only counts what it is sent. */
function countingTerminal() {
	return Object.assign(new EventEmitter(), {
		isTTY: true,
		columns,
		rows,
		bytes: 0,
		write(data: string | Uint8Array, done?: () => void) {
			this.bytes += Buffer.byteLength(data);
			done?.();
			return true;
		},
	});
}

/** A full screen of text whose first line changes with every tick, as the panel's countdowns do. */
function Screen({ height, tick }: { height: number; tick: number }) {
	return (
		<Box flexDirection="column" height={height}>
			{Array.from({ length: height }, (_, line) => (
				<Text key={String(line)}>
					{line === 0
						? `next run in ${tick} s`
						: `line ${line}: the same text in every frame, as most of a screen is`}
				</Text>
			))}
		</Box>
	);
}

/** Bytes a tick costs the terminal behind the changed-cells writer, and what Ink wrote into it. */
async function bytesPerTick(height: number) {
	const terminal = countingTerminal();
	const writer = changedCellsOnly(terminal as unknown as NodeJS.WriteStream);
	let inkBytes = 0;
	const counted = new Proxy(writer, {
		get(target, property) {
			if (property !== "write") return Reflect.get(target, property, target);
			return (data: string, ...rest: unknown[]) => {
				inkBytes += Buffer.byteLength(data);
				return (target.write as (...all: unknown[]) => boolean)(data, ...rest);
			};
		},
	});
	const app = render(<Screen height={height} tick={0} />, {
		stdout: counted,
		patchConsole: false,
		exitOnCtrlC: false,
	});
	await pause(200);
	const [terminalBefore, inkBefore] = [terminal.bytes, inkBytes];
	for (let tick = 1; tick <= ticks; tick++) {
		app.rerender(<Screen height={height} tick={tick} />);
		await pause(tickMs);
	}
	app.unmount();
	return {
		terminal: (terminal.bytes - terminalBefore) / ticks,
		ink: (inkBytes - inkBefore) / ticks,
	};
}

async function measure(): Promise<MeasurementResult> {
	const shorter = await bytesPerTick(rows - 1);
	const fullHeight = await bytesPerTick(rows);
	return {
		id: "frame-bytes",
		title: `Bytes per frame on an ${columns}×${rows} terminal: the changed-cells writer and the frame one line shorter (source/tui/terminal)`,
		method: `In-process: Ink renders a screen of text whose first line changes on each of ${ticks} ticks (${tickMs} ms apart) into source/tui/terminal/changed-cells.ts, in front of a terminal that counts bytes; once with a frame of ${rows - 1} lines (as cdx draws), once of ${rows}. Baseline of each: the bytes Ink itself wrote, what the terminal got before the writer.`,
		figures: [
			figure(`bytes per tick, ${rows - 1}-line frame`, shorter.terminal, "B", {
				baseline: { name: "Ink's own frame", value: shorter.ink },
			}),
			figure(`bytes per tick, ${rows}-line frame`, fullHeight.terminal, "B", {
				baseline: { name: "Ink's own frame", value: fullHeight.ink },
			}),
		],
		notes: [],
	};
}

await runMeasurement(measure);
