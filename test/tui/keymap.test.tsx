import test, { type ExecutionContext } from "ava";
import { defaultKeymap, type Keymap } from "../../source/tui/keymap.js";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";
import { formForTest, keys, renderApp } from "../helpers/render-app.js";

/** The default keymap with "new" on "a", help on "h", go-to on ";" and quit on "x". */
const rebound: Keymap = {
	...defaultKeymap,
	new: { ...defaultKeymap.new, keys: [{ input: "a" }], keyLabel: "a" },
	help: { ...defaultKeymap.help, keys: [{ input: "h" }], keyLabel: "h" },
	goto: { ...defaultKeymap.goto, keys: [{ input: ";" }], keyLabel: ";" },
	quit: { ...defaultKeymap.quit, keys: [{ input: "x" }], keyLabel: "x" },
};

/** The profile list, reached with the rebound go-to key; the old one must do nothing. */
async function reboundProfiles(t: ExecutionContext, path: string) {
	const app = await renderApp(path, { keymap: rebound });
	await app.press(":");
	await app.settle();
	t.false(app.screen().includes("Go to:"), "the old go-to key did nothing");
	await app.press(";");
	await app.waitFor("Go to:");
	await app.type("async");
	await app.press(keys.enter);
	await app.waitFor("a new");
	return app;
}

test.serial(
	"a rebound key changes the footer, the help and what the key does, together",
	async (t) => {
		const app = await reboundProfiles(t, await makeTempDatabase());
		t.teardown(app.unmount);
		t.regex(app.screen(), /a new .*h help/);
		t.false(app.screen().includes("n/^N new"));
		// The empty list names the key that works now.
		t.true(app.screen().includes("Press a to create one"));
		await app.press("?");
		await app.settle();
		t.false(app.screen().includes("Keys: "));
		await app.press("h");
		await app.waitFor("Keys: Async Server profile list");
		t.regex(app.screen(), /a\s+New record/);
		await app.press(keys.escape);
		await app.press("n");
		await app.settle();
		t.false(app.screen().includes("New Async Server profile"));
		await app.press("a");
		await app.waitFor("New Async Server profile");
	},
);

test.serial("a rebound quit key quits, and the old one does not", async (t) => {
	const app = await reboundProfiles(t, await makeTempDatabase());
	t.teardown(app.unmount);
	await app.press("q");
	await app.settle();
	t.true(app.stdin.listenerCount("readable") > 0, "still running");
	await app.press("x");
	await app.waitFor(() => app.stdin.listenerCount("readable") === 0);
});

test.serial(
	"a key that cannot act here says why: delete in an empty list",
	async (t) => {
		const app = await formForTest(t, await makeTempDatabase(), "async");
		await app.press("d");
		await app.waitFor("⚠ The list is empty: press n to create a record");
		t.false(app.screen().includes("(y/n)"));
	},
);

test.serial(
	"at 80 columns the footer keeps ? help and marks the hints that give way with …",
	async (t) => {
		const app = await formForTest(
			t,
			await makeTempDatabase([makeProfile("A")]),
			"async",
		);
		await app.resize(80, 24);
		const footer = app.screen().trimEnd().split("\n").at(-1) ?? "";
		t.regex(footer, /… {2}\? help$/);
		t.true(footer.length <= 80);
	},
);
