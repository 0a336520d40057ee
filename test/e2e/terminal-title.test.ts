import { readFile, writeFile } from "node:fs/promises";
import test from "ava";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { makeClientSetup } from "../helpers/client-setup.js";
import { hostileTexts } from "../helpers/terminal-text.js";
import { cdxBin, startTerminal } from "../helpers/tmux.js";

test.before(() => {
	buildCdxIfMissing();
});

// makeClientSetup gives channel database STORE1 the password "secret for STORE1".
const password = "secret for STORE1";

test("the full-screen app never puts a record's text or a password in the terminal title", async (t) => {
	const setup = await makeClientSetup();
	// A description written by hand that would set the title if printed raw.
	const configuration = JSON.parse(await readFile(setup.db, "utf8"));
	configuration.profiles[0].description = `${hostileTexts.title}x`;
	await writeFile(setup.db, JSON.stringify(configuration));
	const terminal = startTerminal(100, 30);
	t.teardown(terminal.close);
	const titleBefore = terminal.title();
	terminal.run(`node ${cdxBin} --db ${setup.db}`);
	await terminal.waitFor("q quit");
	terminal.type(":");
	terminal.type("async");
	terminal.press("Enter");
	await terminal.waitFor("STORES");
	terminal.press("Escape");
	terminal.type(":");
	terminal.type("chdb");
	terminal.press("Enter");
	await terminal.waitFor("STORE1");
	terminal.press("Enter");
	await terminal.waitFor("Password");
	t.false(terminal.screen().includes(password), "the password field is masked");
	t.is(terminal.title(), titleBefore, "the title is left alone");
});
