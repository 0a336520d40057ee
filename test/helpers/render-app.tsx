import type { ExecutionContext } from "ava";
import { render } from "ink-testing-library";
import { channelDatabaseTools } from "../../source/client/channel-database-tools.js";
import type { Direction } from "../../source/domain/profile-schedule.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { App } from "../../source/tui/app.js";
import { ChannelDatabaseToolsContext } from "../../source/tui/channel-database-tools.js";
import type { Clock } from "../../source/tui/clock.js";
import type { Keymap } from "../../source/tui/keymap.js";
import {
	afterReactSettles,
	keyPacer,
	terminalKeys,
} from "../../source/tui/terminal/paced-input.js";
import { withoutStyles } from "./sgr.js";
import { hangTimeoutMs, pause } from "./wait.js";

/** Key sequences as a terminal sends them. */
export const keys = {
	enter: "\r",
	escape: "\u001B",
	tab: "\t",
	shiftTab: "\u001B[Z",
	up: "\u001B[A",
	down: "\u001B[B",
	right: "\u001B[C",
	left: "\u001B[D",
	pageUp: "\u001B[5~",
	pageDown: "\u001B[6~",
	backspace: "\u007F",
	home: "\u001B[H",
	end: "\u001B[F",
	ctrlA: "\u0001",
	ctrlC: "\u0003",
	ctrlE: "\u0005",
	ctrlK: "\u000B",
	ctrlU: "\u0015",
	ctrlW: "\u0017",
	deleteForward: "\u001B[3~",
	ctrlG: "\u0007",
	ctrlN: "\u000E",
	ctrlR: "\u0012",
	ctrlS: "\u0013",
	ctrlO: "\u000F",
	ctrlT: "\u0014",
} as const;

/** Renders and the effects they scheduled, done (source/tui/terminal/paced-input.ts). */
const reactSettled = () =>
	new Promise<void>((resolve) => afterReactSettles(resolve));

/**
 * The app on a real store, driven like a terminal: `press` sends keys one at
 * a time and lets Ink handle each; `waitFor` polls the frame for what a user
 * would look for.
 */
export async function renderApp(
	path: string,
	{
		author = "tester@tui",
		clock,
		runNow,
		colors,
		keymap,
	}: {
		author?: string;
		colors?: boolean;
		keymap?: Keymap;
		clock?: Clock;
		runNow?: (
			channelDatabase: string,
			direction: Direction,
		) => Promise<string | undefined>;
	} = {},
) {
	const store = await ConfigurationStore.open(path, { author });
	// The Channel database form's tools are the client side's real ones, as in `cdx`.
	const app = render(
		<ChannelDatabaseToolsContext.Provider value={channelDatabaseTools(store)}>
			<App
				store={store}
				{...(clock ? { clock } : {})}
				{...(runNow ? { runNow } : {})}
				{...(colors === undefined ? {} : { colors })}
				{...(keymap ? { keymap } : {})}
			/>
		</ChannelDatabaseToolsContext.Provider>,
	);
	const screen = () => app.lastFrame() ?? "";
	// Keys reach the app as the terminal's do in cdx: paced by the same rule.
	const keyboard = keyPacer((key) => app.stdin.write(key));
	const keysOf = terminalKeys();
	const press = async (...sequence: string[]) => {
		keyboard.push(...sequence.flatMap(keysOf));
		await keyboard.settled();
	};
	const type = async (text: string) => press(...[...text]);
	/** Lets React finish what it started: renders and the effects they scheduled. */
	const settle = reactSettled;
	/** Resizes the terminal as a window manager or a tmux split does. */
	const resize = async (columns: number, rows: number) => {
		Object.defineProperties(app.stdout, {
			columns: { value: columns, configurable: true },
			rows: { value: rows, configurable: true },
		});
		app.stdout.emit("resize");
		await reactSettled();
	};
	const waitFor = async (
		expected: string | RegExp | ((frame: string) => boolean),
		timeoutMs = hangTimeoutMs,
	) => {
		const deadline = Date.now() + timeoutMs;
		// What a person reads: colours (on in tests that check them) are not part of the words.
		const matches = () => {
			const shown = withoutStyles(screen());
			return typeof expected === "string"
				? shown.includes(expected)
				: typeof expected === "function"
					? expected(shown)
					: expected.test(shown);
		};
		while (!matches()) {
			if (Date.now() > deadline) {
				throw new Error(
					`Timed out waiting for ${String(expected)}; the screen shows:\n${screen()}`,
				);
			}
			await pause(10);
		}
	};
	await waitFor("Retail");
	return { ...app, store, screen, press, type, resize, settle, waitFor };
}

export type RenderedApp = Awaited<ReturnType<typeof renderApp>>;

/** The app open on one form's list, reached as an operator would: ":" and part of its name. */
export async function openForm(
	path: string,
	query: string,
	options: Parameters<typeof renderApp>[1] = {},
): Promise<RenderedApp> {
	const app = await renderApp(path, options);
	await app.press(":");
	await app.type(query);
	await app.press(keys.enter);
	// The footer comes from the list's effects, which also subscribe its keys.
	await app.waitFor("^N new");
	return app;
}

/** Text as a terminal in bracketed paste mode sends a paste of it. */
export const pasted = (text: string) => `\u001B[200~${text}\u001B[201~`;

/** renderApp for one test: the app is unmounted when the test ends. */
export async function appForTest(
	t: ExecutionContext,
	path: string,
	options: Parameters<typeof renderApp>[1] = {},
): Promise<RenderedApp> {
	const app = await renderApp(path, options);
	t.teardown(app.unmount);
	return app;
}

/** openForm for one test: the app is unmounted when the test ends. */
export async function formForTest(
	t: ExecutionContext,
	path: string,
	query: string,
	options: Parameters<typeof renderApp>[1] = {},
): Promise<RenderedApp> {
	const app = await openForm(path, query, options);
	t.teardown(app.unmount);
	return app;
}

/** formForTest with the form of a new record open (n), its title shown. */
export async function newRecordForTest(
	t: ExecutionContext,
	path: string,
	query: string,
	options: Parameters<typeof renderApp>[1] = {},
): Promise<RenderedApp> {
	const app = await formForTest(t, path, query, options);
	await app.press("n");
	await app.waitFor(/^New /m);
	return app;
}

/** Types each value into the next field of the open form, Tab between them. */
export async function fillForm(
	app: RenderedApp,
	values: readonly string[],
): Promise<void> {
	for (const [index, value] of values.entries()) {
		await app.type(value);
		if (index < values.length - 1) await app.press(keys.tab);
	}
}
