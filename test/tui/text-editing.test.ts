import test from "ava";
import type { Key } from "ink";
import { defaultKeymap } from "../../source/tui/key-bindings.js";
import {
	editText,
	type TextAction,
	type TextState,
	textState,
} from "../../source/tui/terminal/text-editing.js";
import { textFieldEdit } from "../../source/tui/terminal/text-field.js";

/** Applies the actions in order, as a text field does with the keys of one read. */
function apply(
	start: TextState,
	actions: TextAction[],
	maxLength?: number,
): { text: string; cursor: number } {
	const end = actions.reduce(
		(state, action) => editText(state, action, maxLength),
		start,
	);
	return { text: end.characters.join(""), cursor: end.cursor };
}

const type = (text: string): TextAction => ({ type: "insert", text });

test("typed text goes in at the cursor, and the cursor after it", (t) => {
	t.deepEqual(apply(textState("ac"), [{ type: "cursorLeft" }, type("b")]), {
		text: "abc",
		cursor: 2,
	});
});

test("Ctrl+A and Ctrl+E (Home and End) go to the start and the end", (t) => {
	t.deepEqual(apply(textState("abc"), [{ type: "lineStart" }, type(">")]), {
		text: ">abc",
		cursor: 1,
	});
	t.deepEqual(apply(textState("abc", 0), [{ type: "lineEnd" }, type("<")]), {
		text: "abc<",
		cursor: 4,
	});
});

test("Ctrl+U deletes to the start and Ctrl+K to the end", (t) => {
	t.deepEqual(apply(textState("hello world", 6), [{ type: "deleteToStart" }]), {
		text: "world",
		cursor: 0,
	});
	t.deepEqual(apply(textState("hello world", 5), [{ type: "deleteToEnd" }]), {
		text: "hello",
		cursor: 5,
	});
});

test("Ctrl+W deletes the word before the cursor and the spaces after it", (t) => {
	t.deepEqual(
		apply(textState("cdx store north  "), [{ type: "deleteWordBack" }]),
		{
			text: "cdx store ",
			cursor: 10,
		},
	);
	t.deepEqual(
		apply(textState("a b"), [
			{ type: "deleteWordBack" },
			{ type: "deleteWordBack" },
		]),
		{ text: "", cursor: 0 },
	);
});

test("Backspace deletes before the cursor, Delete under it", (t) => {
	t.deepEqual(apply(textState("abc", 1), [{ type: "deleteBack" }]), {
		text: "bc",
		cursor: 0,
	});
	t.deepEqual(apply(textState("abc", 1), [{ type: "deleteForward" }]), {
		text: "ac",
		cursor: 1,
	});
	t.deepEqual(apply(textState("abc"), [{ type: "deleteForward" }]), {
		text: "abc",
		cursor: 3,
	});
	t.deepEqual(apply(textState("abc", 0), [{ type: "deleteBack" }]), {
		text: "abc",
		cursor: 0,
	});
});

test("the cursor stops at both ends", (t) => {
	t.deepEqual(
		apply(textState("ab", 0), [{ type: "cursorLeft" }, { type: "cursorLeft" }]),
		{ text: "ab", cursor: 0 },
	);
	t.deepEqual(apply(textState("ab"), [{ type: "cursorRight" }]), {
		text: "ab",
		cursor: 2,
	});
});

test("an emoji or an accented letter is one character to move over and delete", (t) => {
	t.deepEqual(
		apply(textState("a😀é"), [{ type: "cursorLeft" }, { type: "deleteBack" }]),
		{
			text: "aé",
			cursor: 1,
		},
	);
});

test("typing beyond the longest a field takes is refused; a paste keeps what fits", (t) => {
	t.deepEqual(apply(textState("abc"), [type("defgh")], 5), {
		text: "abcde",
		cursor: 5,
	});
	t.deepEqual(apply(textState("abcde"), [type("x")], 5), {
		text: "abcde",
		cursor: 5,
	});
	const paste = "x".repeat(3000);
	t.is(apply(textState(""), [type(paste)], 20).text, "x".repeat(20));
});

test("control characters are never typed into the text", (t) => {
	t.deepEqual(apply(textState("ab"), [type("\u001B[31m")]), {
		text: "ab",
		cursor: 2,
	});
});

/** A key as Ink reports it: nothing pressed but what `pressed` names. */
function inkKey(pressed: Partial<Key> = {}): Key {
	return {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		...pressed,
	};
}

/** Keys of one read, as Ink hands them to the field one after another, applied in order. */
function typeKeys(
	start: TextState,
	keys: [string, Partial<Key>?][],
): { text: string; cursor: number } {
	const end = keys.reduce((state, [input, pressed]) => {
		const edit = textFieldEdit(defaultKeymap, input, inkKey(pressed));
		return edit === null ? state : editText(state, edit);
	}, start);
	return { text: end.characters.join(""), cursor: end.cursor };
}

test("keys arriving together edit in order, each on the text the one before left", (t) => {
	t.deepEqual(
		typeKeys(textState(""), [
			["a"],
			["b"],
			["", { leftArrow: true }],
			["X"],
			["a", { ctrl: true }],
			["<"],
			["", { end: true }],
			["", { delete: true }],
		]),
		{ text: "<aX", cursor: 3 },
	);
});

test("keys that are the screen's leave the text alone: Ctrl+S is a save, not an s", (t) => {
	for (const pressed of [
		{ ctrl: true },
		{ meta: true },
		{ tab: true },
		{ return: true },
		{ escape: true },
		{ upArrow: true },
		{ downArrow: true },
	])
		t.deepEqual(
			typeKeys(textState("ab", 1), [["s", pressed]]),
			{ text: "ab", cursor: 1 },
			JSON.stringify(pressed),
		);
	// Ink hands the Delete key on as Ctrl+D (terminal/paced-input.ts): delete forward.
	t.deepEqual(typeKeys(textState("ab", 0), [["d", { ctrl: true }]]), {
		text: "b",
		cursor: 0,
	});
});
