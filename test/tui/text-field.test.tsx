import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import test from "ava";
import { render } from "ink";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { App } from "../../source/tui/app.js";
import { pacedStdin } from "../../source/tui/terminal/paced-input.js";
import { makeTempDatabase } from "../helpers/database.js";
import { keys, openForm, type RenderedApp } from "../helpers/render-app.js";
import { hangTimeoutMs, pause } from "../helpers/wait.js";

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
	const waitFor = async (pattern: RegExp) => {
		const deadline = Date.now() + hangTimeoutMs;
		while (!pattern.test(stdout.last)) {
			if (Date.now() > deadline)
				throw new Error(`never showed ${pattern}:\n${stdout.last}`);
			await pause(10);
		}
	};
	await waitFor(/Retail/);
	source.write(":async\r");
	await waitFor(/\^N new/);
	source.write("n");
	await waitFor(/New Async Server profile/);
	return { source, counts, screen, waitFor, unmount: () => instance.unmount() };
}

const paste = (text: string) => `\u001B[200~${text}\u001B[201~`;

test.serial(
	"a 3,000-character paste into a 20-character field takes what fits and leaves the form working",
	async (t) => {
		const app = await pacedApp();
		t.teardown(app.unmount);
		const before = app.counts.frames();
		// One read of the terminal, as a paste arrives where the terminal does not mark it; a Tab typed after it.
		app.source.write(`${"P".repeat(3000)}\t`);
		await app.waitFor(/› Description/);
		t.regex(app.screen(), new RegExp(`Name\\s+${"P".repeat(20)}\\s`));
		t.false(app.screen().includes("P".repeat(21)));
		// Only the keys that changed something drew a frame.
		t.true(
			app.counts.frames() - before < 100,
			`${app.counts.frames() - before} frames`,
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
		const pasted = paste("P".repeat(3000));
		app.source.write(pasted.slice(0, 1500));
		app.source.write(`${pasted.slice(1500)}\t`);
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
		app.source.write(paste("NORTH\u001B\u0013\r\nEAST\n"));
		await app.waitFor(/Name\s+NORTH EAST/);
		app.source.write("\t");
		await app.waitFor(/› Description/);
		t.true(app.screen().includes("New Async Server profile"));
		t.false(app.screen().includes("Drop your unsaved changes?"));
	},
);
