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
