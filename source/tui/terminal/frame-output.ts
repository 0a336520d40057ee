/*
 * The bundle gives Ink's renderer this class where it imports its own
 * Output (scripts/ink-swaps.mjs). Ink 6.8 builds every frame cell by cell:
 * a grid of width × height cells, every line it writes tokenized into
 * styled cells, every row turned back into a string; that was two thirds
 * of the CPU of a key press on a 23-line screen. A key or a tick changes a
 * few rows, so this builds a row only when what is written on it changed,
 * and keeps each line's styled cells while it stays on screen. Where it
 * builds, it builds as Ink's output.js does.
 */
import {
	type StyledChar,
	styledCharsFromTokens,
	styledCharsToString,
	tokenize,
} from "@alcalzone/ansi-tokenize";
import sliceAnsi from "slice-ansi";
import textWidth from "./text-width.js";

type Transformer = (line: string, index: number) => string;
type Clip = {
	x1: number | undefined;
	x2: number | undefined;
	y1: number | undefined;
	y2: number | undefined;
};
type Operation =
	| {
			type: "write";
			x: number;
			y: number;
			text: string;
			transformers: Transformer[];
	  }
	| { type: "clip"; clip: Clip }
	| { type: "unclip" };
/** One line of a write, where it lands on its row. */
type Placed = { x: number; line: string };

/**
 * Two generations of a bounded cache: whatever the last frames used stays,
 * the rest goes once the newer generation is full.
 */
class RecentValues<Value> {
	#recent = new Map<string, Value>();
	#older = new Map<string, Value>();
	readonly #size: number;

	constructor(size: number) {
		this.#size = size;
	}

	get(key: string, make: () => Value): Value {
		let value = this.#recent.get(key);
		if (value !== undefined) return value;
		value = this.#older.get(key) ?? make();
		if (this.#recent.size >= this.#size) {
			this.#older = this.#recent;
			this.#recent = new Map();
		}
		this.#recent.set(key, value);
		return value;
	}
}

// A few screens' worth of lines and rows, however many frames pass.
const cellsOfLine = new RecentValues<StyledChar[]>(2000);
const textOfRow = new RecentValues<string>(500);
const blank: StyledChar = {
	type: "char",
	value: " ",
	fullWidth: false,
	styles: [],
};

function widestLine(lines: readonly string[]): number {
	return Math.max(0, ...lines.map((line) => textWidth(line)));
}

/** The row's text from what was written on it, in order, as Ink builds it. */
function buildRow(width: number, placed: readonly Placed[]): string {
	const cells: (StyledChar | undefined)[] = new Array(width).fill(blank);
	for (const { x, line } of placed) {
		let column = x;
		for (const cell of cellsOfLine.get(line, () =>
			styledCharsFromTokens(tokenize(line)),
		)) {
			cells[column] = cell;
			const cellWidth = Math.max(1, textWidth(cell.value));
			// A wide character's other columns hold nothing, in its style.
			for (let index = 1; index < cellWidth; index++)
				cells[column + index] = { ...blank, value: "", styles: cell.styles };
			column += cellWidth;
		}
	}
	// Ink's rule: cells left out (a write beyond the width) close up.
	const written = cells.filter(
		(cell): cell is StyledChar => cell !== undefined,
	);
	return styledCharsToString(written).trimEnd();
}

/** Ink's Output (write, clip, unclip, get), with rows and lines kept across frames. */
export default class FrameOutput {
	readonly width: number;
	readonly height: number;
	readonly #operations: Operation[] = [];

	constructor({ width, height }: { width: number; height: number }) {
		this.width = width;
		this.height = height;
	}

	write(
		x: number,
		y: number,
		text: string,
		{ transformers }: { transformers: Transformer[] },
	): void {
		if (text)
			this.#operations.push({ type: "write", x, y, text, transformers });
	}

	clip(clip: Clip): void {
		this.#operations.push({ type: "clip", clip });
	}

	unclip(): void {
		this.#operations.push({ type: "unclip" });
	}

	get(): { output: string; height: number } {
		const rows: Placed[][] = Array.from({ length: this.height }, () => []);
		const clips: Clip[] = [];
		for (const operation of this.#operations) {
			if (operation.type === "clip") clips.push(operation.clip);
			else if (operation.type === "unclip") clips.pop();
			else place(operation, clips.at(-1), rows);
		}
		const output = rows
			.map((placed) => {
				if (placed.length === 0) return "";
				let key = String(this.width);
				for (const { x, line } of placed) key += `\u0000${x}\u0000${line}`;
				return textOfRow.get(key, () => buildRow(this.width, placed));
			})
			.join("\n");
		return { output, height: rows.length };
	}
}

/** Cuts a write to the clip, as Ink does, and adds its lines to the rows they land on. */
function place(
	operation: Extract<Operation, { type: "write" }>,
	clip: Clip | undefined,
	rows: Placed[][],
): void {
	let { x, y } = operation;
	let lines = operation.text.split("\n");
	if (clip) {
		const { x1, x2, y1, y2 } = clip;
		const clipsColumns = typeof x1 === "number" && typeof x2 === "number";
		const clipsRows = typeof y1 === "number" && typeof y2 === "number";
		if (clipsColumns && (x + widestLine(lines) < x1 || x > x2)) return;
		if (clipsRows && (y + lines.length < y1 || y > y2)) return;
		if (clipsColumns) {
			const left = x;
			lines = lines.map((line) => {
				const width = textWidth(line);
				const from = left < x1 ? x1 - left : 0;
				const to = left + width > x2 ? x2 - left : width;
				return sliceAnsi(line, from, to);
			});
			if (x < x1) x = x1;
		}
		if (clipsRows) {
			const from = y < y1 ? y1 - y : 0;
			const to = y + lines.length > y2 ? y2 - y : lines.length;
			lines = lines.slice(from, to);
			if (y < y1) y = y1;
		}
	}
	let row = y;
	for (const [index, raw] of lines.entries()) {
		const placed = rows[row];
		// Ink's rule: a line off the frame is dropped and the next takes its row.
		if (placed === undefined) continue;
		let line = raw;
		for (const transformer of operation.transformers)
			line = transformer(line, index);
		placed.push({ x, line });
		row += 1;
	}
}
