import test from "ava";
import { wrapText } from "../../source/tui/wrap-text.js";

test("breaks between words, never past the width", (t) => {
	t.deepEqual(wrapText("Skip package 3 for STORE-1?", 12), [
		"Skip package",
		"3 for",
		"STORE-1?",
	]);
});

test("a word wider than the line is cut where it must, nothing lost", (t) => {
	const path = `/srv/${"a".repeat(25)}/x`;
	const lines = wrapText(`Create ${path}?`, 10);
	t.true(lines.every((line) => line.length <= 10));
	t.is(lines.join("").replaceAll(" ", ""), `Create${path}?`);
});

test("a text that fits is one line, an empty one is one empty line", (t) => {
	t.deepEqual(wrapText("Drop your unsaved changes?", 80), [
		"Drop your unsaved changes?",
	]);
	t.deepEqual(wrapText("", 10), [""]);
});
