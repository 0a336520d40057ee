import { readFile } from "node:fs/promises";
import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { writeTempDatabase } from "../helpers/database.js";
import { startTerminal } from "../helpers/tmux.js";

test.before(() => {
	buildCdxIfMissing();
});

test("the full-screen app on a broken db.json says why in one line, exits 1 and gives the terminal back", async (t) => {
	const path = await writeTempDatabase("{ half a file");
	const terminal = startTerminal(80, 24);
	t.teardown(terminal.close);
	terminal.run(`node dist/cdx.js --db ${path}; echo "exit=$?"`);
	const shown = await terminal.waitFor("exit=1");
	t.regex(shown, /cdx: .*db\.json: not valid JSON/);
	t.false(terminal.terminalModes().alternateScreen);
	t.is(await readFile(path, "utf8"), "{ half a file");
});
