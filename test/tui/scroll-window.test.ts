import test from "ava";
import { scrollWindow } from "../../source/tui/scroll-window.js";

test("everything shows when it fits", (t) => {
	t.deepEqual(scrollWindow([1, 2, 1], 2, 10), { start: 0, end: 3 });
});

test("the window starts at the top while the focus fits in it", (t) => {
	t.deepEqual(scrollWindow([1, 1, 1, 1, 1], 1, 3), { start: 0, end: 3 });
});

test("the window moves down to keep the focus in it, counting each item's lines", (t) => {
	t.deepEqual(scrollWindow([2, 2, 2, 2, 1], 4, 5), { start: 2, end: 5 });
	t.deepEqual(scrollWindow([1, 1, 1, 1, 1], 4, 2), { start: 3, end: 5 });
});

test("an item taller than the window is still shown when focused", (t) => {
	t.deepEqual(scrollWindow([1, 5, 1], 1, 3), { start: 1, end: 2 });
});
