import test from "ava";
import { makeTempDatabase } from "../helpers/database.js";
import { cdxInTerminal } from "../helpers/tmux.js";

test("a paste in a real terminal is one edit: a pasted Tab is text, and a 3,000-character paste keeps what fits", async (t) => {
	const terminal = await cdxInTerminal(t, await makeTempDatabase());
	terminal.type(":async");
	terminal.press("Enter");
	await terminal.waitFor("^N new");
	terminal.press("C-n");
	await terminal.waitFor("New Async Server profile");
	// Typed, a Tab would move to Description; pasted, cdx gets it marked as text.
	terminal.paste("NORTH\tEAST");
	await terminal.waitFor(/› Name +NORTH EAST/);
	terminal.press("C-u");
	terminal.paste("P".repeat(3000));
	terminal.press("Tab");
	const shown = await terminal.waitFor("› Description");
	t.regex(shown, /Name +P{20}\s/);
	t.false(shown.includes("P".repeat(21)));
});

test("a paste the terminal does not mark (send-keys) is one edit too: all 3,000 characters land, Tab still moves on, and on a list it is no keys", async (t) => {
	const terminal = await cdxInTerminal(t, await makeTempDatabase());
	terminal.type(":working");
	terminal.press("Enter");
	await terminal.waitFor("^N new");
	// Typed, "n" would open a new record and "q" would quit.
	terminal.type("n quietly deleted / sorted, then quit: q d s ? n ".repeat(3));
	terminal.press("C-n");
	await terminal.waitFor("New Working folders");
	t.regex(terminal.screen(), /› Name\s*$/m, "the paste reached no form");
	terminal.press("Tab", "Tab");
	await terminal.waitFor("› Download working folder");
	const path = `${`/srv/${"stores/north-0123/".repeat(200)}`.slice(0, 2995)}final`;
	terminal.type(path);
	terminal.press("Tab");
	await terminal.waitFor("› Upload working folder");
	terminal.press("BTab");
	await terminal.waitFor(/› Download working folder\s+…\S*final/);
	t.pass();
});
