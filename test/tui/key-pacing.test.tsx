import test from "ava";
import { Text, useInput } from "ink";
import { render } from "ink-testing-library";
import { useState } from "react";
import { keyPacer, splitKeys } from "../../source/tui/terminal/paced-input.js";
import { waitUntil } from "../helpers/wait.js";

test("one read of the terminal splits into the keys a user pressed", (t) => {
	t.deepEqual(splitKeys(":async\r"), [":", "a", "s", "y", "n", "c", "\r"]);
	// Arrows, Shift+Tab, Delete and F1 are one key each, as are Alt+x and a lone Escape.
	t.deepEqual(splitKeys("\u001B[A\u001B[Z\u001B[3~\u001BOP\u001Bx\u001B"), [
		"\u001B[A",
		"\u001B[Z",
		"\u001B[3~",
		"\u001BOP",
		"\u001Bx",
		"\u001B",
	]);
	// A character outside the Basic Multilingual Plane is one key, not two halves.
	t.deepEqual(splitKeys("a😀b"), ["a", "😀", "b"]);
	t.deepEqual(splitKeys(""), []);
});

test("the pacer writes the keys of one read one at a time, in order, the Delete key as Ctrl+D", async (t) => {
	const written: string[] = [];
	const pacer = keyPacer((key) => written.push(key));
	pacer.push(...splitKeys("ab\u001B[3~\t"));
	// Nothing before React had its turn: the screen may still be subscribing.
	t.deepEqual(written, []);
	await pacer.settled();
	t.deepEqual(written, ["a", "b", "\u0004", "\t"]);
});

/** Two fields; Tab moves to the second, which only the next render knows. */
function TwoFields() {
	const [focused, setFocused] = useState(0);
	const [values, setValues] = useState(["", ""]);
	useInput((input, key) => {
		if (key.tab) setFocused(1);
		else
			setValues((before) =>
				before.map((value, index) =>
					index === focused ? value + input : value,
				),
			);
	});
	return <Text>{values.map((value) => `[${value}]`).join(" ")}</Text>;
}

test("keys of one read paced: each meets the screen the key before produced", async (t) => {
	const app = render(<TwoFields />);
	t.teardown(app.unmount);
	const pacer = keyPacer((key) => app.stdin.write(key));
	pacer.push("x", "\t", "y");
	await pacer.settled();
	await waitUntil(() => app.lastFrame() === "[x] [y]", "x in one, y in two");
	t.is(app.lastFrame(), "[x] [y]");
});
