import { EventEmitter } from "node:events";
import test from "ava";
import { changedCellsOnly } from "../../source/tui/changed-cells.js";

type Cell = { text: string; style: string };

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
 * positions (row and column, or column), erase in line and display, SGR kept as the codes in force
 * since the last reset, printable characters one column each.
 */
class FakeTerminal extends EventEmitter {
	isTTY = true;
	columns = 40;
	rows = 12;
	written = "";
	grid: Cell[][] = this.blank();
	#row = 0;
	#column = 0;
	#style = "";

	blank(): Cell[][] {
		return Array.from({ length: this.rows }, () => []);
	}

	write(data: string, done?: () => void): boolean {
		this.written += data;
		const pattern =
			// biome-ignore lint/suspicious/noControlCharactersInRegex: escapes are what it reads
			/\u001B\[([0-9;]*)([A-Za-z])|([\s\S])/gu;
		for (const [, parameters, command, character] of data.matchAll(pattern)) {
			if (character !== undefined) {
				const line = this.grid[this.#row] ?? [];
				while (line.length < this.#column) line.push({ text: " ", style: "" });
				line[this.#column] = { text: character, style: this.#style };
				this.grid[this.#row] = line;
				this.#column += 1;
				continue;
			}
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

/** A frame's lines split the way the fake terminal keeps cells. */
function cellsOfFrame(lines: string[]): Cell[][] {
	const terminal = new FakeTerminal();
	lines.forEach((line, row) => {
		terminal.write(`\u001B[0m\u001B[${row + 1};1H${line}`);
	});
	return terminal.grid;
}

const eraseLines = (count: number) =>
	count === 0
		? ""
		: `${"\u001B[2K\u001B[1A".repeat(count - 1)}\u001B[2K\u001B[G`;

/** Writes frames the way Ink's log-update does: erase the last frame's lines, then the frame and a newline. */
function inkWriter() {
	const terminal = new FakeTerminal();
	const stream = changedCellsOnly(terminal as unknown as NodeJS.WriteStream);
	let previousLines = 0;
	const frame = (lines: string[]) => {
		const before = terminal.written.length;
		const text = `${lines.join("\n")}\n`;
		stream.write(eraseLines(previousLines) + text);
		previousLines = lines.length + 1;
		return terminal.written.slice(before);
	};
	return { terminal, stream, frame };
}

const dim = (text: string) => `\u001B[2m${text}\u001B[22m`;
const inverse = (text: string) => `\u001B[7m${text}\u001B[27m`;
const grey = (text: string) => `\u001B[90m${text}\u001B[39m`;

test("the screen shows each frame, styles and all, as frames change at random", (t) => {
	const { terminal, frame } = inkWriter();
	const words = ["STORE-1", "↓≈09:15:00 in 4:01", "running", "", "漢字", "x"];
	// mulberry32: the same frames on every run.
	let seed = 7;
	const random = (below: number) => {
		seed = (seed + 0x6d2b79f5) | 0;
		let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
		return (((mixed ^ (mixed >>> 14)) >>> 0) % 2 ** 24) % below;
	};
	const styled = (word: string) =>
		[word, dim(word), inverse(word), grey(dim(word)), inverse(grey(word))][
			random(5)
		] as string;
	for (let round = 0; round < 500; round++) {
		const lines = Array.from({ length: 1 + random(10) }, () =>
			Array.from({ length: random(4) }, () =>
				styled(words[random(words.length)] as string),
			).join(" "),
		);
		frame(lines);
		const expected = cellsOfFrame(lines).map((line) =>
			line.map(({ text, style }) => ({ text, style })),
		);
		const shown = terminal.grid.map((line) =>
			line.map(({ text, style }) => ({ text, style })),
		);
		const trim = (grid: Cell[][]) =>
			grid.map((line) => {
				const kept = [...line];
				while (
					kept.length > 0 &&
					kept.at(-1)?.text === " " &&
					kept.at(-1)?.style === ""
				)
					kept.pop();
				return kept;
			});
		t.deepEqual(trim(shown), trim(expected), `round ${round}`);
	}
});

test("a countdown that ticks sends the changed characters, not the line", (t) => {
	const { terminal, frame } = inkWriter();
	const panel = (seconds: number) => [
		"Retail › Setup",
		"",
		`STORE-00001    not started    ↓≈09:15:00 in 4:${String(seconds).padStart(2, "0")}   ↑≈09:30:00 in 19:${String(seconds).padStart(2, "0")}`,
		dim("Enter/→ open  Esc/← back  q quit"),
	];
	frame(panel(59));
	const written = frame(panel(58));
	t.deepEqual(
		terminal.text().slice(0, 4),
		panel(58).slice(0, 3).concat("Enter/→ open  Esc/← back  q quit"),
	);
	t.true(
		written.length < 40,
		`${written.length} bytes: ${JSON.stringify(written)}`,
	);
	t.is(frame(panel(58)), "", "an unchanged frame sends nothing");
});

test("after anything else was written, or a resize, the next frame is painted whole", (t) => {
	const { terminal, stream, frame } = inkWriter();
	frame(["one", "two"]);
	stream.write("\u001B[?2026h");
	t.is(frame(["one", "two"]), "", "a mode change leaves the screen as it is");
	stream.write("\u001B[1;1HX");
	t.regex(frame(["one", "two"]), /\[2J/);
	terminal.emit("resize");
	t.regex(frame(["one", "two"]), /\[2J/);
	t.deepEqual(terminal.text().slice(0, 3), ["one", "two", ""]);
});

test("a shorter frame clears the rows and columns the longer one used", (t) => {
	const { terminal, frame } = inkWriter();
	frame(["a long first line", "second", "third"]);
	frame(["short"]);
	t.deepEqual(terminal.text().slice(0, 4), ["short", "", "", ""]);
});

test("size, TTY and resize listeners are the terminal's", (t) => {
	const terminal = new FakeTerminal();
	const stream = changedCellsOnly(terminal as unknown as NodeJS.WriteStream);
	t.is(stream.columns, 40);
	t.is(stream.rows, 12);
	t.true(stream.isTTY);
	let resized = 0;
	const onResize = () => {
		resized += 1;
	};
	stream.on("resize", onResize);
	terminal.emit("resize");
	stream.off("resize", onResize);
	terminal.emit("resize");
	t.is(resized, 1);
});
