import { writeFileSync } from "node:fs";
import { removeTempFolders } from "./fixtures.js";
import { round } from "./stats.js";

/** One number of a measurement, with what it is compared against. */
export type Figure = {
	name: string;
	value: number;
	unit: string;
	/** The same thing measured on a baseline in the same invocation. */
	baseline?: { name: string; value: number };
	/** value ÷ baseline. */
	ratio?: number;
	/** The target, in words, e.g. "≤ 2.5× baseline"; absent for figures that are only reported. */
	target?: string;
	/** null: reported, no target. */
	pass: boolean | null;
};

export type MeasurementResult = {
	id: string;
	title: string;
	/** How it was measured, in a sentence or two, for the summary and the README. */
	method: string;
	figures: Figure[];
	notes: string[];
	/** Anything else worth keeping (a profile summary, samples). */
	details?: Record<string, unknown>;
};

type TargetCheck =
	| { atMost: number; of?: "value" | "ratio"; text: string }
	| { atLeast: number; of?: "value" | "ratio"; text: string };

/** A figure, its ratio to the baseline when there is one, and whether it meets the target. */
export function figure(
	name: string,
	value: number,
	unit: string,
	options: {
		baseline?: { name: string; value: number };
		target?: TargetCheck;
	} = {},
): Figure {
	const result: Figure = { name, value: round(value), unit, pass: null };
	if (options.baseline) {
		result.baseline = {
			name: options.baseline.name,
			value: round(options.baseline.value),
		};
		result.ratio = round(value / options.baseline.value);
	}
	const target = options.target;
	if (target) {
		const checked =
			target.of === "ratio" ? (result.ratio ?? Number.NaN) : value;
		result.target = target.text;
		result.pass =
			"atMost" in target ? checked <= target.atMost : checked >= target.atLeast;
	}
	return result;
}

/**
 * The entry point of each bench/<name>.ts: runs the measurement and writes
 * its result as JSON to $BENCH_RESULT (bench/run.ts sets it), or prints it
 * when the file is run on its own. Temporary folders are removed either way.
 */
export async function runMeasurement(
	measure: () => Promise<MeasurementResult>,
): Promise<void> {
	try {
		const result = await measure();
		const text = `${JSON.stringify(result, null, "\t")}\n`;
		if (process.env.BENCH_RESULT) writeFileSync(process.env.BENCH_RESULT, text);
		else process.stdout.write(text);
	} finally {
		await removeTempFolders();
	}
	// Ink, watchers or timers of a measured app must not keep the bench alive.
	process.exit(0);
}

/** Progress for the operator watching a long run; on stderr, so results stay clean. */
export function progress(message: string): void {
	process.stderr.write(`  … ${message}\n`);
}
