import { EventEmitter } from "node:events";

export type Cell = { text: string; style: string };

/** The attributes on after an SGR sequence, as the sorted codes still in force. */
function sgr(style: string, codes: number[]): string {
	const on = new Map(
		style === ""
			? []
			: style.split(",").map((code) => [groupOf(Number(code)), code]),
	);
	for (const code of codes.length === 0 ? [0] : codes) {
		if (code === 0) on.clear();
		else if ([22, 27, 39].includes(code)) on.delete(groupOf(code));
		else on.set(groupOf(code), String(code));
	}
	return [...on.values()].sort().join(",");
}

function groupOf(code: number): string {
	if (code === 1 || code === 2 || code === 22) return "weight";
	if (code === 7 || code === 27) return "inverse";
	if ((code >= 30 && code <= 39) || (code >= 90 && code <= 97)) return "colour";
	return String(code);
}

/**
 * Just enough of a terminal to check what reaches it: absolute cursor
 * positions (row and column, or column), erase in line and display, SGR
 * kept as the codes in force since the last reset, printable characters one
 * column each; terminal modes (`ESC [ ? … h/l`) are ignored.
 */
export class FakeTerminal extends EventEmitter {
	isTTY = true;
	columns: number;
	rows: number;
	written = "";
	grid: Cell[][];
	#row = 0;
	#column = 0;
	#style = "";

	constructor(columns = 40, rows = 12) {
		super();
		this.columns = columns;
		this.rows = rows;
		this.grid = this.blank();
	}

	blank(): Cell[][] {
		return Array.from({ length: this.rows }, () => []);
	}

	write(data: string, done?: () => void): boolean {
		this.written += data;
		const pattern =
			// biome-ignore lint/suspicious/noControlCharactersInRegex: escapes are what it reads
			/\u001B\[(\??[0-9;]*)([A-Za-z])|([\s\S])/gu;
		for (const [, parameters, command, character] of data.matchAll(pattern)) {
			if (character !== undefined) {
				const line = this.grid[this.#row] ?? [];
				while (line.length < this.#column) line.push({ text: " ", style: "" });
				line[this.#column] = { text: character, style: this.#style };
				this.grid[this.#row] = line;
				this.#column += 1;
				continue;
			}
			// Terminal modes (cursor shown, synchronized output) leave the cells as they are.
			if (parameters?.startsWith("?")) continue;
			const numbers = (parameters ?? "").split(";").map(Number);
			if (command === "H") {
				this.#row = (numbers[0] || 1) - 1;
				this.#column = (numbers[1] || 1) - 1;
			} else if (command === "G") this.#column = (numbers[0] || 1) - 1;
			else if (command === "K")
				this.grid[this.#row] = (
					parameters === "2" ? [] : (this.grid[this.#row] ?? [])
				).slice(0, parameters === "2" ? 0 : this.#column);
			else if (command === "J") this.grid = this.blank();
			else if (command === "m") this.#style = sgr(this.#style, numbers);
		}
		done?.();
		return true;
	}

	/** Each row as text, trailing blanks cut, as Ink's frames are. */
	text(): string[] {
		return this.grid.map((line) =>
			line
				.map((cell) => cell.text)
				.join("")
				.trimEnd(),
		);
	}
}
