import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";
import { cdxBin, cdxInTerminal, startTerminal } from "../helpers/tmux.js";

test.before(() => {
	buildCdxIfMissing();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The screen's words on one line: a message wrapped at 20 columns reads whole. */
const words = (screen: string) => screen.replace(/\s+/g, " ").trim();

// Both pipes is covered by test/commands/profile-cli.test.ts; here one of them is a terminal.
test("cdx with only stdin or only stdout a terminal exits 2 and points at the CLI", async (t) => {
	const path = await makeTempDatabase();
	// Wide enough that the one-line message is not wrapped.
	const terminal = startTerminal(200, 20);
	t.teardown(terminal.close);
	terminal.run(
		`node ${cdxBin} --db ${path} | cat; echo "piped-out=\${PIPESTATUS[0]}"`,
	);
	await terminal.waitFor("piped-out=2");
	terminal.run(`true | node ${cdxBin} --db ${path}; echo "piped-in=$?"`);
	const shown = await terminal.waitFor("piped-in=2");
	const messages = shown
		.split("\n")
		.filter((line) =>
			line.startsWith("cdx: the full-screen app needs a terminal"),
		);
	t.is(messages.length, 2, shown);
	for (const message of messages) t.regex(message, /cdx profile list/);
	t.false(terminal.terminalModes().alternateScreen);
});

for (const [columns, rows] of [
	[20, 5],
	[40, 10],
	[79, 24],
	[80, 23],
] as const) {
	test(`a ${columns}×${rows} terminal shows the "make the window larger" message and q still quits`, async (t) => {
		const path = await makeTempDatabase([makeProfile("STORE-A")]);
		const terminal = await cdxInTerminal(t, path, {
			columns,
			rows,
			shown: /larger/,
		});
		await pause(100);
		t.true(
			words(terminal.screen()).includes(
				`Make the window larger: cdx needs 80×24, this one is ${columns}×${rows}. q quits.`,
			),
			terminal.screen(),
		);
		t.false(terminal.screen().includes("STORE-A"), "no broken layout");
		terminal.type("q");
		await terminal.waitFor(/\$\s*$/);
		await pause(100);
		t.deepEqual(terminal.terminalModes(), {
			alternateScreen: false,
			cursorShown: true,
		});
	});
}

test("shrunk to 20×5 while open and back to 100×30: the message, then the full screen with what was there", async (t) => {
	const path = await makeTempDatabase([makeProfile("STORE-A")]);
	const terminal = await cdxInTerminal(t, path, { columns: 100, rows: 30 });
	terminal.type(":");
	terminal.type("async");
	terminal.press("Enter");
	await terminal.waitFor("STORE-A");
	terminal.resize(20, 5);
	await terminal.waitFor(/larger/);
	await pause(100);
	t.true(words(terminal.screen()).includes("this one is 20×5"));
	terminal.resize(100, 30);
	await terminal.waitFor("STORE-A");
	t.false(terminal.screen().includes("Make the window larger"));
});
