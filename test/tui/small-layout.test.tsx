import test from "ava";
import { makeTempDatabase } from "../helpers/database.js";
import { keys, openForm, renderApp } from "../helpers/render-app.js";

const ctrlO = "\u000F";

test.serial(
	"at 80×24 the parameters form shows its longest label whole",
	async (t) => {
		const app = await renderApp(await makeTempDatabase());
		t.teardown(app.unmount);
		await app.resize(80, 24);
		await app.press(":");
		await app.type("parameters");
		await app.press(keys.enter);
		await app.waitFor("Days to keep download session history");
		t.false(app.screen().includes("session his…"));
	},
);

test.serial(
	"at 80×24 a form with every field refused scrolls: markers for the fields left out, the focused one always shown, no error cut",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "chdb");
		t.teardown(app.unmount);
		await app.resize(80, 24);
		await app.press("n");
		await app.waitFor("New Channel database");
		await app.press(keys.ctrlS);
		await app.waitFor("✗ required: the name of an existing channel data group");
		await app.waitFor(/▼ \d+ more fields? below/);
		t.false(app.screen().includes("Spread load across the interval"));
		for (let step = 0; step < 8; step++) await app.press(keys.tab);
		await app.waitFor(/› Spread load across the interval/);
		t.regex(app.screen(), /▲ \d+ more fields? above/);
		const frame = app.screen();
		t.true(frame.split("\n").length <= 24);
		t.false(/✗ [^\n]*…$/m.test(frame), "no error is cut");
	},
);

test.serial(
	"^O in a form opens its help, which lists the text-field keys and scrolls",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "async");
		t.teardown(app.unmount);
		await app.resize(80, 24);
		await app.press("n");
		await app.waitFor("New Async Server profile");
		await app.press(ctrlO);
		await app.waitFor("Keys: Async Server profile form");
		while (!app.screen().includes("Delete the word before the cursor")) {
			t.regex(app.screen(), /▼ \d+ more key/);
			await app.press(keys.down);
		}
		await app.press("x");
		await app.waitFor((frame) => !frame.includes("Keys:"));
		// The x closed the help; it was not typed into the name.
		t.regex(app.screen(), /› Name *$/m);
	},
);
