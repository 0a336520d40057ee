import test from "ava";
import { terminalKeys } from "../../source/tui/terminal/paced-input.js";
import {
	pasteContinuesWithinMs,
	unmarkedPasteLength,
} from "../../source/tui/terminal/unmarked-paste.js";

/** Text of `length` characters that is not one character repeated, as pasted text is not. */
const prose = (length: number) =>
	"north stores, daily at six; ".repeat(length).slice(0, length);

/** terminalKeys on a clock the test moves. */
function reads() {
	let now = 0;
	const keysOf = terminalKeys(() => now);
	return {
		read: (chunk: string) => keysOf(chunk),
		later: (ms: number) => {
			now += ms;
		},
	};
}

test("a long run of text in one read is one piece: a paste the terminal did not mark", (t) => {
	const { read } = reads();
	const paste = prose(3000);
	t.deepEqual(read(paste), [paste]);
});

test("Tab, Enter, arrows and Alt+letter end a run and stay keys between the pieces", (t) => {
	const { read } = reads();
	const first = prose(unmarkedPasteLength);
	const second = prose(40);
	t.deepEqual(read(`${first}\t${second}\r\u001B[A\u001Bx`), [
		first,
		"\t",
		second,
		"\r",
		"\u001B[A",
		"\u001Bx",
	]);
});

test("a run shorter than a paste stays keys: typing gathered by a slow read still acts", (t) => {
	const { read } = reads();
	const typed = `:${prose(unmarkedPasteLength - 2)}`;
	t.deepEqual(read(`${typed}\r`), [...typed, "\r"]);
	t.deepEqual(read("x".repeat(unmarkedPasteLength - 1)), [
		..."x".repeat(unmarkedPasteLength - 1),
	]);
});

test("one key held (repeat gathered by a stall) stays keys, however many", (t) => {
	const { read } = reads();
	t.deepEqual(read("j".repeat(200)), Array(200).fill("j"));
});

test("a character a field refuses is a key of its own, splitting the run around it", (t) => {
	const { read } = reads();
	const before = prose(unmarkedPasteLength);
	const after = prose(unmarkedPasteLength + 1);
	// A bidirectional override: typed or pasted, the field refuses it alone.
	t.deepEqual(read(`${before}\u202E${after}`), [before, "\u202E", after]);
});

test("the rest of a paste cut over two reads continues it, however short", (t) => {
	const { read, later } = reads();
	const paste = prose(2050);
	t.deepEqual(read(paste.slice(0, 2048)), [paste.slice(0, 2048)]);
	later(1);
	t.deepEqual(read(paste.slice(2048)), [paste.slice(2048)]);
	// A key after the rest, in the same read, is a key.
	later(1);
	t.deepEqual(read(`ab\tc`), ["ab", "\t", "c"]);
	later(1);
	t.deepEqual(read("q"), ["q"], "the read before ended in a key");
});

test("a key pressed after a paste, later than a terminal's next read, is a key", (t) => {
	const { read, later } = reads();
	read(prose(100));
	later(pasteContinuesWithinMs + 1);
	t.deepEqual(read("q"), ["q"]);
});

test("a bracketed paste stays one piece and ends no unmarked paste", (t) => {
	const { read, later } = reads();
	t.deepEqual(read(`\u001B[200~${prose(10)}\u001B[201~`), [prose(10)]);
	later(1);
	t.deepEqual(read("n"), ["n"]);
});
