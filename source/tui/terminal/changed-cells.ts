/*
 * Ink 6.8 writes every frame whole: it erases the lines of the last frame
 * and writes them all again, over a kilobyte a second for a panel whose
 * countdowns tick. Its `incrementalRendering` would write only changed
 * lines, but in 6.8 it puts each update one row lower when the frame ends
 * with a newline, as ours does (app.tsx keeps it a line shorter than the
 * terminal). The stream here stands between Ink and the terminal instead:
 * cdx owns the whole alternate screen, so it compares each frame Ink writes
 * with the one on screen and sends only the cells that changed, each run at
 * an absolute position. Anything else Ink writes goes through as it is; if
 * it may have changed the screen, the next frame is painted whole.
 */

import { oneColumnCharacter } from "./text-width.js";

const esc = "\u001B";
const csi = `${esc}[`;
const reset = `${csi}0m`;

/* biome-ignore-start lint/suspicious/noControlCharactersInRegex: reading escapes is the point */
// What log-update writes before a frame: erase lines upward (eraseLines).
const eraseLinesPrefix = /^(?:\u001B\[2K\u001B\[1A)*(?:\u001B\[2K\u001B\[G)?/;
// SGR (colours, bold, inverse …) is the only escape a frame may carry.
const sgr = /\u001B\[[0-9;]*m/y;
const allSgr = /\u001B\[[0-9;]*m/g;
const anyEscape = /\u001B/;
// Terminal modes (synchronized output around each frame, cursor shown or hidden) leave the screen as it is.
const modesOnly = /^(?:\u001B\[\?[0-9;]*[hl])+$/;
/* biome-ignore-end lint/suspicious/noControlCharactersInRegex: reading escapes is the point */

type Cell = { style: string; text: string };

/*
 * The SGR attributes in force, by what each code sets: a cell's style is
 * then one canonical sequence, the same however the frame reached it
 * ("dim, undim, dim" is "dim").
 */
const attributeOf: Record<number, string> = {
	1: "weight",
	2: "weight",
	22: "weight",
	3: "italic",
	23: "italic",
	4: "underline",
	24: "underline",
	5: "blink",
	25: "blink",
	7: "inverse",
	27: "inverse",
	8: "hidden",
	28: "hidden",
	9: "strike",
	29: "strike",
	39: "foreground",
	49: "background",
};
const offCodes = new Set([22, 23, 24, 25, 27, 28, 29, 39, 49]);

function applySgr(state: Map<string, string>, parameters: string): void {
	const codes = parameters === "" ? [0] : parameters.split(";").map(Number);
	for (let index = 0; index < codes.length; index += 1) {
		const code = codes[index] as number;
		if (code === 0) {
			state.clear();
			continue;
		}
		// 38/48: extended colours take 2 (;5;n) or 4 (;2;r;g;b) more numbers.
		if (code === 38 || code === 48) {
			const take = codes[index + 1] === 5 ? 2 : 4;
			state.set(
				code === 38 ? "foreground" : "background",
				codes.slice(index, index + 1 + take).join(";"),
			);
			index += take;
			continue;
		}
		const name =
			attributeOf[code] ??
			((code >= 30 && code <= 37) || (code >= 90 && code <= 97)
				? "foreground"
				: (code >= 40 && code <= 47) || (code >= 100 && code <= 107)
					? "background"
					: `code${code}`);
		if (offCodes.has(code)) state.delete(name);
		else state.set(name, String(code));
	}
}

function styleOf(state: Map<string, string>): string {
	return state.size === 0
		? ""
		: [...state.keys()]
				.sort()
				.map((name) => state.get(name))
				.join(";");
}

/** The cells of one line of a frame, or null when it cannot be split into one-column cells. */
function cellsOf(line: string): Cell[] | null {
	const cells: Cell[] = [];
	const state = new Map<string, string>();
	let style = "";
	let index = 0;
	while (index < line.length) {
		if (line[index] === esc) {
			sgr.lastIndex = index;
			const match = sgr.exec(line);
			if (match === null) return null;
			applySgr(state, match[0].slice(2, -1));
			style = styleOf(state);
			index += match[0].length;
			continue;
		}
		const character = String.fromCodePoint(line.codePointAt(index) ?? 32);
		if (!oneColumnCharacter.test(character)) return null;
		cells.push({ style, text: character });
		index += character.length;
	}
	return cells;
}

/** Sets exactly the attributes of `style`, from `before` (null: not known). */
function sgrFrom(before: string | null, style: string): string {
	if (style === "") return `${csi}m`;
	return before === "" ? `${csi}${style}m` : `${csi}0;${style}m`;
}

const at = (row: number, column: number) => `${csi}${row + 1};${column + 1}H`;

/** Where the terminal's cursor is and which attributes are on; -1 and null when not known. */
type Pen = { row: number; column: number; style: string | null };

/** The shortest move of the cursor to `row`, `column`. */
function moveTo(pen: Pen, row: number, column: number): string {
	const move =
		pen.row === row && pen.column === column
			? ""
			: pen.row === row
				? `${csi}${column + 1}G`
				: at(row, column);
	pen.row = row;
	pen.column = column;
	return move;
}

/** The bytes that turn `before` (on screen at `row`) into `after`. */
function lineUpdate(
	row: number,
	before: string,
	after: string,
	pen: Pen,
): string {
	if (before === after) return "";
	const old = cellsOf(before);
	const next = cellsOf(after);
	if (old === null || next === null) {
		// Ink's widths decide where this line's cells are: the cursor ends somewhere unknown.
		const out = `${at(row, 0)}${reset}${after}${reset}${csi}K`;
		Object.assign(pen, { row: -1, column: -1, style: "" });
		return out;
	}
	const same = (index: number) =>
		index < old.length &&
		index < next.length &&
		old[index]?.text === next[index]?.text &&
		old[index]?.style === next[index]?.style;
	let out = "";
	let index = 0;
	while (index < next.length) {
		if (same(index)) {
			index += 1;
			continue;
		}
		// A run of changed cells; a few unchanged ones inside it cost less than a move.
		let end = index + 1;
		for (let gap = 0; end < next.length && gap < 4; end += 1)
			gap = same(end) ? gap + 1 : 0;
		while (end > index + 1 && same(end - 1)) end -= 1;
		out += moveTo(pen, row, index);
		for (let cell = index; cell < end; cell += 1) {
			const { style, text } = next[cell] as Cell;
			if (style !== pen.style) {
				out += sgrFrom(pen.style, style);
				pen.style = style;
			}
			out += text;
		}
		pen.column = end;
		index = end;
	}
	if (next.length < old.length) {
		out += moveTo(pen, row, next.length);
		if (pen.style !== "") out += `${csi}m`;
		pen.style = "";
		out += `${csi}K`;
	}
	return out;
}

function linesOf(frame: string): string[] {
	const lines = frame.split("\n");
	if (frame.endsWith("\n")) lines.pop();
	return lines;
}

/**
 * A stream for Ink's `stdout` option: the terminal `terminal`, except that
 * each frame reaches it as the changes from the frame before. Size, TTY-ness
 * and resize events are the terminal's.
 */
export function changedCellsOnly(
	terminal: NodeJS.WriteStream,
): NodeJS.WriteStream {
	// null: what the screen shows is not known, so the next frame is painted whole.
	let shown: string[] | null = null;
	terminal.on("resize", () => {
		shown = null;
	});
	const writeFrame = (frame: string): string => {
		const lines = linesOf(frame);
		if (shown === null) {
			shown = lines;
			return `${reset}${csi}H${csi}2J${lines.map((line, row) => `${at(row, 0)}${line}`).join("")}${reset}`;
		}
		let out = "";
		const pen: Pen = { row: -1, column: -1, style: null };
		for (let row = 0; row < Math.max(lines.length, shown.length); row += 1) {
			const after = lines[row];
			if (after === undefined) {
				out += `${moveTo(pen, row, 0)}${reset}${csi}2K`;
				pen.style = "";
			} else out += lineUpdate(row, shown[row] ?? "", after, pen);
		}
		shown = lines;
		// Leave no attribute on for whatever is written next.
		return pen.style === "" || out === "" ? out : `${out}${csi}m`;
	};
	const write = (
		data: string | Uint8Array,
		encodingOrDone?: BufferEncoding | ((error?: Error | null) => void),
		done?: (error?: Error | null) => void,
	): boolean => {
		const callback =
			typeof encodingOrDone === "function" ? encodingOrDone : done;
		const text = typeof data === "string" ? data : Buffer.from(data).toString();
		const erase = eraseLinesPrefix.exec(text)?.[0] ?? "";
		const frame = text.slice(erase.length);
		// Escapes other than colours mean something this stream does not follow.
		const isFrame =
			(erase !== "" || frame !== "") &&
			!anyEscape.test(frame.replace(allSgr, ""));
		if (!isFrame) {
			if (!modesOnly.test(text)) shown = null;
			return terminal.write(text, callback);
		}
		const out = writeFrame(frame);
		if (out === "") {
			callback?.();
			return true;
		}
		return terminal.write(out, callback);
	};
	return new Proxy(terminal, {
		get(target, property) {
			if (property === "write") return write;
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
