import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import test from "ava";
import { render } from "ink";
import { render as renderHeadless } from "ink-testing-library";
import { useState } from "react";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { App } from "../../source/tui/app.js";
import { pacedStdin } from "../../source/tui/terminal/paced-input.js";
import { TextField } from "../../source/tui/terminal/text-field.js";
import { makeTempDatabase } from "../helpers/database.js";
import { keys, openForm, type RenderedApp } from "../helpers/render-app.js";
import { waitUntil } from "../helpers/wait.js";

async function newProfileForm(): Promise<RenderedApp> {
	const app = await openForm(await makeTempDatabase(), "async");
	await app.press("n");
	await app.waitFor("New Async Server profile");
	return app;
}

const nameShows = (app: RenderedApp, value: string) =>
	app.waitFor(new RegExp(`› Name\\s+${value}`));

test.serial(
	"Ctrl+A, Home, Ctrl+E and End move to the ends of the text",
	async (t) => {
		const app = await newProfileForm();
		t.teardown(app.unmount);
		await app.type("MID");
		await app.press(keys.ctrlA);
		await app.type("A");
		await app.press(keys.ctrlE);
		await app.type("E");
		await app.press(keys.home);
		await app.type("H");
		await app.press(keys.end);
		await app.type("N");
		await nameShows(app, "HAMIDEN");
		t.pass();
	},
);

test.serial(
	"← and → move the cursor, Delete deletes forward, Backspace back",
	async (t) => {
		const app = await newProfileForm();
		t.teardown(app.unmount);
		await app.type("ABCD");
		await app.press(keys.left, keys.left, keys.deleteForward);
		await nameShows(app, "ABD");
		await app.press(keys.backspace);
		await nameShows(app, "AD");
		await app.press(keys.right);
		await app.type("!");
		await nameShows(app, "AD!");
		t.pass();
	},
);

test.serial(
	"Ctrl+W deletes a word, Ctrl+U to the start, Ctrl+K to the end",
	async (t) => {
		const app = await newProfileForm();
		t.teardown(app.unmount);
		await app.press(keys.tab);
		await app.type("north stores daily");
		await app.press(keys.ctrlW);
		await app.waitFor(/› Description\s+north stores\s*$/m);
		await app.press(keys.left, keys.left, keys.left, keys.ctrlK);
		await app.waitFor(/› Description\s+north stor\s*$/m);
		await app.press(keys.left, keys.ctrlU);
		await app.waitFor(/› Description\s+r\s*$/m);
		t.pass();
	},
);

test.serial(
	"a name longer than the field takes is refused as it is typed, and says so",
	async (t) => {
		const app = await newProfileForm();
		t.teardown(app.unmount);
		await app.type("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		await nameShows(app, "ABCDEFGHIJKLMNOPQRST ");
		t.true(app.screen().includes("(20 characters at most)"));
		t.false(app.screen().includes("ABCDEFGHIJKLMNOPQRSTU"));
	},
);

/** A terminal for the app as cdx runs it: keys through pacedStdin, frames counted. */
function pacedTerminal() {
	const source = Object.assign(new PassThrough({ encoding: "utf8" }), {
		isTTY: true,
		setRawMode: () => source,
		ref: () => source,
		unref: () => source,
	}) as unknown as NodeJS.ReadStream & PassThrough;
	const stdout = Object.assign(new EventEmitter(), {
		columns: 100,
		rows: 30,
		frames: 0,
		last: "",
		write(frame: string) {
			stdout.frames += 1;
			stdout.last = frame;
			return true;
		},
	});
	return { source, stdout };
}

test.serial(
	"a 3,000-character paste into a 20-character field takes what fits and leaves the form working",
	async (t) => {
		const { source, stdout } = pacedTerminal();
		const store = await ConfigurationStore.open(await makeTempDatabase());
		const instance = render(<App store={store} />, {
			stdin: pacedStdin(source),
			stdout: stdout as unknown as NodeJS.WriteStream,
			debug: true,
			exitOnCtrlC: false,
			patchConsole: false,
		});
		t.teardown(() => instance.unmount());
		const waitFor = async (pattern: RegExp) => {
			const deadline = Date.now() + 20_000;
			while (!pattern.test(stdout.last)) {
				if (Date.now() > deadline)
					throw new Error(`never showed ${pattern}:\n${stdout.last}`);
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
		};
		await waitFor(/Retail/);
		source.write(":async\r");
		await waitFor(/\^N new/);
		source.write("n");
		await waitFor(/New Async Server profile/);
		const before = stdout.frames;
		// One read of the terminal, as a paste arrives; a Tab typed after it.
		source.write(`${"P".repeat(3000)}\t`);
		await waitFor(/› Description/);
		t.regex(stdout.last, new RegExp(`Name\\s+${"P".repeat(20)}\\s`));
		t.false(stdout.last.includes("P".repeat(21)));
		// Only the keys that changed something drew a frame.
		t.true(stdout.frames - before < 100, `${stdout.frames - before} frames`);
	},
);

/** One text field with its value in state, as a form holds it. */
function OneField() {
	const [value, setValue] = useState("");
	return <TextField value={value} onChange={setValue} focus />;
}

test("keys that reach the field in one pass, before React renders again, apply in order", async (t) => {
	const field = renderHeadless(<OneField />);
	t.teardown(field.unmount);
	// Unpaced, Ink hands these to the field one after another in the same
	// pass: "A", ←, "B", Home, "<", End, Backspace.
	field.stdin.write("A\u001B[DB\u001B[H<\u001B[F\u007F");
	const shown = () => field.lastFrame()?.trimEnd() ?? "";
	await waitUntil(() => shown() === "<B", "the field to show <B");
	t.is(shown(), "<B");
});
