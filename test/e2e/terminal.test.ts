import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import test from "ava";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";
import { cdxBin, cdxInTerminal } from "../helpers/tmux.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("an operator creates, edits and deletes a profile in a real terminal, and q gives the terminal back", async (t) => {
	const path = await makeTempDatabase([makeProfile("OLD-ONE")]);
	const terminal = await cdxInTerminal(t, path);
	t.true(terminal.terminalModes().alternateScreen);

	terminal.type(":");
	terminal.type("async");
	terminal.press("Enter");
	await terminal.waitFor("^N new");
	terminal.type("n");
	await terminal.waitFor("New Async Server profile");
	terminal.type("STORE-EAST");
	terminal.press("Tab");
	terminal.type("East side");
	terminal.press("Tab");
	terminal.type("10");
	terminal.press("Tab");
	terminal.type("20");
	terminal.press("C-s");
	await terminal.waitFor('Saved Async Server profile "STORE-EAST"');
	t.regex(
		terminal.screen(),
		/STORE-EAST\s+East side\s+every 10 min\s+every 20 min/,
	);

	terminal.press("Enter");
	await terminal.waitFor('Edit Async Server profile "STORE-EAST"');
	terminal.press("Tab", "Tab", "BSpace", "BSpace");
	terminal.type("25");
	terminal.press("C-s");
	await terminal.waitFor(
		/STORE-EAST\s+East side\s+every 25 min\s+every 20 min/,
	);

	// OLD-ONE sorts first.
	terminal.press("Home");
	terminal.press("d");
	await terminal.waitFor('Delete Async Server profile "OLD-ONE"? (y/n)');
	terminal.type("y");
	await terminal.waitFor('Deleted Async Server profile "OLD-ONE"');

	terminal.type("q");
	await terminal.waitFor(/^\$\s*$/m);
	await pause(100);
	t.deepEqual(terminal.terminalModes(), {
		alternateScreen: false,
		cursorShown: true,
	});
	const saved = JSON.parse(await readFile(path, "utf8"));
	t.deepEqual(
		saved.profiles.map((profile: { name: string }) => profile.name),
		["STORE-EAST"],
	);
});

test("bad input in a real terminal is refused next to the field and nothing is saved", async (t) => {
	const path = await makeTempDatabase();
	const before = await readFile(path, "utf8");
	const terminal = await cdxInTerminal(t, path);
	terminal.type(":async");
	terminal.press("Enter");
	await terminal.waitFor("^N new");
	terminal.press("C-n");
	await terminal.waitFor("New Async Server profile");
	terminal.type("X");
	terminal.press("Tab", "Tab");
	terminal.type("abc");
	terminal.press("C-s");
	await terminal.waitFor('must be a whole number from 1 to 1440 (got "abc")');
	t.is(await readFile(path, "utf8"), before);
	terminal.press("C-c");
	await terminal.waitFor("Quit and drop your unsaved changes? (y/n)");
	terminal.type("y");
	await terminal.waitFor(/^\$\s*$/m);
	await pause(100);
	t.deepEqual(terminal.terminalModes(), {
		alternateScreen: false,
		cursorShown: true,
	});
});

test("a terminal smaller than 80×24 asks for a larger window", async (t) => {
	const path = await makeTempDatabase();
	const terminal = await cdxInTerminal(t, path, {
		columns: 60,
		rows: 20,
		shown: "Make the window larger",
	});
	terminal.type("q");
	await terminal.waitFor(/^\$\s*$/m);
	t.false(terminal.terminalModes().alternateScreen);
});

for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
	test(`${signal} gives the terminal back: alternate screen left, cursor shown`, async (t) => {
		const path = await makeTempDatabase();
		const terminal = await cdxInTerminal(t, path);
		t.true(terminal.terminalModes().alternateScreen);
		const pid = execFileSync("pgrep", ["-f", `${cdxBin} --db ${path}`], {
			encoding: "utf8",
		}).trim();
		process.kill(Number(pid), signal);
		await terminal.waitFor(/^\$\s*$/m);
		await pause(100);
		t.deepEqual(terminal.terminalModes(), {
			alternateScreen: false,
			cursorShown: true,
		});
	});
}

test("the app follows the terminal's size: too small asks for more room, larger shows the screen again", async (t) => {
	const path = await makeTempDatabase([makeProfile("STORE-A")]);
	const terminal = await cdxInTerminal(t, path, { columns: 100, rows: 30 });
	terminal.resize(60, 20);
	await terminal.waitFor(
		"Make the window larger: cdx needs 80×24, this one is 60×20",
	);
	terminal.resize(80, 24);
	await terminal.waitFor("? help");
	t.false(terminal.screen().includes("Make the window larger"));
});
