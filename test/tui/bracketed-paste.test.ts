import test from "ava";
import { splitPastes } from "../../source/tui/terminal/bracketed-paste.js";

test("typed keys and a paste in one read come apart, the paste whole", (t) => {
	t.deepEqual(splitPastes("", "ab\u001B[200~pasted text\u001B[201~\t"), {
		pieces: [{ typed: "ab" }, { pasted: "pasted text" }, { typed: "\t" }],
		pending: "",
	});
});

test("a paste whose end is in a later read waits for it", (t) => {
	const first = splitPastes("", "x\u001B[200~one ");
	t.deepEqual(first.pieces, [{ typed: "x" }]);
	t.deepEqual(splitPastes(first.pending, "two\u001B[201~"), {
		pieces: [{ pasted: "one two" }],
		pending: "",
	});
});

test("a start marker cut by the read is held, a lone Escape is not", (t) => {
	const cut = splitPastes("", "a\u001B[20");
	t.deepEqual(cut, { pieces: [{ typed: "a" }], pending: "\u001B[20" });
	t.deepEqual(splitPastes(cut.pending, "0~b\u001B[201~").pieces, [
		{ pasted: "b" },
	]);
	t.deepEqual(splitPastes("", "\u001B"), {
		pieces: [{ typed: "\u001B" }],
		pending: "",
	});
});

test("line breaks in a paste become spaces, a final one goes, control characters go", (t) => {
	t.deepEqual(
		splitPastes("", "\u001B[200~a\r\nb\tc\u0003\u001B\n\u001B[201~").pieces,
		[{ pasted: "a b c" }],
	);
});
