import test from "ava";
import { changedCellsOnly } from "../../source/tui/terminal/changed-cells.js";
import { type Cell, FakeTerminal } from "../helpers/fake-terminal.js";

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
