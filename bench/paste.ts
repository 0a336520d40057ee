import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tempFolder } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { cdxBin } from "./lib/paths.js";
import { median } from "./lib/stats.js";
import { startTerminal, type Terminal } from "./lib/tmux.js";

const runs = 5;
const pasteLength = 3000;

/** A text field of a form and the field Tab moves to from it. */
type PasteTarget = {
	name: string;
	query: string;
	title: string;
	tabs: number;
	next: string;
};

const targets: PasteTarget[] = [
	{
		name: "Name of an Async Server profile (20 characters at most)",
		query: "async",
		title: "New Async Server profile",
		tabs: 0,
		next: "› Description",
	},
	{
		name: "Download working folder (no maximum: all 3,000 land)",
		query: "working",
		title: "New Working folders",
		tabs: 2,
		next: "› Upload working folder",
	},
];

/** The target's form of a new record open on an empty store, the target field focused. */
async function newRecordForm(target: PasteTarget): Promise<Terminal> {
	const db = join(await tempFolder("paste"), "db.json");
	const terminal = await startTerminal(`${cdxBin} --db ${db}`, {
		columns: 80,
		rows: 24,
	});
	await terminal.go();
	await terminal.waitFor((screen) => screen.includes("q quit"));
	await terminal.keys([":"]);
	await terminal.keys([target.query], true);
	await terminal.keys(["Enter"]);
	await terminal.waitFor((screen) => screen.includes("^N new"));
	await terminal.keys(["C-n"]);
	await terminal.waitFor((screen) => screen.includes(target.title));
	for (let tab = 0; tab < target.tabs; tab++) await terminal.keys(["Tab"]);
	return terminal;
}

/**
 * Wall time from handing tmux a 3,000-character paste for the field, then
 * Tab, until the focus shows on the next field: everything before the Tab
 * was handled by then.
 */
async function timePaste(
	target: PasteTarget,
	paste: (terminal: Terminal) => void,
): Promise<number> {
	const terminal = await newRecordForm(target);
	try {
		const started = performance.now();
		paste(terminal);
		await terminal.keys(["Tab"]);
		await terminal.waitFor((screen) => screen.includes(target.next), {
			timeoutMs: 120_000,
		});
		return performance.now() - started;
	} finally {
		terminal.close();
	}
}

// Not one character repeated: that is a held key (unmarked-paste.ts), never a paste.
const text = "PASTE-".repeat(pasteLength / 6);
const tmux = (terminal: Terminal, ...args: string[]) =>
	execFileSync("tmux", ["-L", terminal.server, ...args]);

/**
 * A 3,000-character paste into a text field, in tmux (80×24) against the
 * built bin: as a terminal without bracketed paste sends it (`send-keys -l`,
 * plain input) and as one that marks it (`paste-buffer -p`), the baseline.
 */
async function measure(): Promise<MeasurementResult> {
	const figures = [];
	const details: Record<string, unknown> = {};
	for (const target of targets) {
		const unmarked: number[] = [];
		const marked: number[] = [];
		for (let run = 0; run < runs; run++) {
			progress(`${target.name}: paste ${run + 1} of ${runs}`);
			unmarked.push(
				await timePaste(target, (terminal) =>
					tmux(terminal, "send-keys", "-l", text),
				),
			);
			marked.push(
				await timePaste(target, (terminal) => {
					tmux(terminal, "set-buffer", "--", text);
					tmux(terminal, "paste-buffer", "-p");
				}),
			);
		}
		figures.push(
			figure(`unbracketed paste into ${target.name}`, median(unmarked), "ms", {
				baseline: { name: "the same paste bracketed", value: median(marked) },
				target: { atMost: 1000, text: "≤ 1,000 ms" },
			}),
		);
		details[target.query] = { unmarkedMs: unmarked, markedMs: marked };
	}
	return {
		id: "paste",
		title: "A 3,000-character paste into a text field",
		method: `tmux 80×24 against the built bin, a new record's form: ${pasteLength} characters handed to a text field, then Tab, timed until the focus shows on the next field; median of ${runs}.`,
		figures,
		notes: [],
		details,
	};
}

await runMeasurement(measure);
