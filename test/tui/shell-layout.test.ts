import test from "ava";
import { shellLayout } from "../../source/tui/shell-layout.js";

test("the screen keeps its minimum, the panel gets what it asks of the rest, the screen takes what the panel leaves", (t) => {
	// 80×24: a 23-line frame, 20 lines for the screen and the panel.
	t.deepEqual(
		shellLayout({
			rows: 24,
			panelWanted: 4,
			panelWholeScreen: false,
			screenMinimum: 8,
		}),
		{ frameHeight: 23, bodyHeight: 16, panelRows: 4 },
	);
	t.deepEqual(
		shellLayout({
			rows: 24,
			panelWanted: 33,
			panelWholeScreen: false,
			screenMinimum: 8,
		}),
		{ frameHeight: 23, bodyHeight: 8, panelRows: 12 },
	);
	t.deepEqual(
		shellLayout({
			rows: 40,
			panelWanted: 33,
			panelWholeScreen: false,
			screenMinimum: 8,
		}),
		{ frameHeight: 39, bodyHeight: 8, panelRows: 28 },
	);
});

test("the panel keeps its title, header and one client however much the screen asks; the detail view takes every line", (t) => {
	t.is(
		shellLayout({
			rows: 24,
			panelWanted: 33,
			panelWholeScreen: false,
			screenMinimum: 30,
		}).panelRows,
		3,
	);
	t.deepEqual(
		shellLayout({
			rows: 24,
			panelWanted: Number.MAX_SAFE_INTEGER,
			panelWholeScreen: true,
			screenMinimum: 14,
		}),
		{ frameHeight: 23, bodyHeight: 0, panelRows: 20 },
	);
});
