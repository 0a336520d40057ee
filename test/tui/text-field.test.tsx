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
import {
	keys,
	openForm,
	pasted,
	type RenderedApp,
} from "../helpers/render-app.js";
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

/**
 * The app as cdx runs it: keys through pacedStdin, the frames it draws and
 * the pieces the paced input handed to Ink (keys, or a paste whole) counted.
 */
async function pacedApp() {
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
	const stdin = pacedStdin(source);
	const counts = { frames: () => stdout.frames, handedOn: 0 };
	const handOn = stdin.write.bind(stdin) as (chunk: string) => boolean;
	stdin.write = ((chunk: string) => {
		counts.handedOn += 1;
		return handOn(chunk);
	}) as typeof stdin.write;
	const store = await ConfigurationStore.open(await makeTempDatabase());
	const instance = render(<App store={store} />, {
		stdin,
		stdout: stdout as unknown as NodeJS.WriteStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const screen = () => stdout.last;
	const waitFor = (pattern: RegExp) =>
		waitUntil(() => pattern.test(stdout.last), `a frame showing ${pattern}`);
	await waitFor(/Retail/);
	source.write(":async\r");
	await waitFor(/\^N new/);
	source.write("n");
	await waitFor(/New Async Server profile/);
	return { source, counts, screen, waitFor, unmount: () => instance.unmount() };
}

test.serial(
	"an unmarked 3,000-character paste into a 20-character field is handed on as one piece, takes what fits and leaves the form working",
	async (t) => {
		const app = await pacedApp();
		t.teardown(app.unmount);
		const before = { ...app.counts, frames: app.counts.frames() };
		// One read of the terminal, as a paste arrives where the terminal does not mark it; a Tab typed after it.
		const paste = "PASTE-".repeat(500);
		app.source.write(`${paste}\t`);
		await app.waitFor(/› Description/);
		t.regex(app.screen(), new RegExp(`Name\\s+${paste.slice(0, 20)}\\s`));
		t.false(app.screen().includes(paste.slice(0, 21)));
		t.is(app.counts.handedOn - before.handedOn, 2, "the paste, then Tab");
		t.true(
			app.counts.frames() - before.frames <= 4,
			`${app.counts.frames() - before.frames} frames`,
		);
	},
);

test.serial(
	"a bracketed 3,000-character paste is handed on as one piece: the refused part costs nothing",
	async (t) => {
		const app = await pacedApp();
		t.teardown(app.unmount);
		const before = { ...app.counts, frames: app.counts.frames() };
		// The paste split over two reads, as a terminal sends a long one; then Tab.
		const paste = pasted("P".repeat(3000));
		app.source.write(paste.slice(0, 1500));
		app.source.write(`${paste.slice(1500)}\t`);
		await app.waitFor(/› Description/);
		t.regex(app.screen(), new RegExp(`Name\\s+${"P".repeat(20)}\\s`));
		t.false(app.screen().includes("P".repeat(21)));
		t.is(app.counts.handedOn - before.handedOn, 2, "the paste, then Tab");
		t.true(
			app.counts.frames() - before.frames <= 4,
			`${app.counts.frames() - before.frames} frames`,
		);
	},
);

test.serial(
	"a pasted line break, Escape or Ctrl+S is text, not a key: the form neither saves nor closes",
	async (t) => {
		const app = await pacedApp();
		t.teardown(app.unmount);
		app.source.write(pasted("NORTH\u001B\u0013\r\nEAST\n"));
		await app.waitFor(/Name\s+NORTH EAST/);
		app.source.write("\t");
		await app.waitFor(/› Description/);
		t.true(app.screen().includes("New Async Server profile"));
		t.false(app.screen().includes("Drop your unsaved changes?"));
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
