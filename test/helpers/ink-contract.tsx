import { PassThrough } from "node:stream";
import { render } from "ink";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { App } from "../../source/tui/app.js";
import { changedCellsOnly } from "../../source/tui/terminal/changed-cells.js";
import { pacedStdin } from "../../source/tui/terminal/paced-input.js";
import { FakeTerminal } from "./fake-terminal.js";
import { waitUntil } from "./wait.js";

/*
 * The contract between Ink and the changed-cells writer, checked on the
 * real app: after every frame Ink writes, the terminal behind the writer
 * shows exactly that frame. Run from the sources (test/tui/ink-contract)
 * and from a bundle built as dist/cdx.js is (ink-contract-bundle.tsx), where
 * Ink measures text with text-width.ts and React runs its production build.
 * Ink must be loaded without CI in the environment: under CI it draws only
 * the last frame.
 */

// What log-update writes before a frame, and the colours a frame carries.
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const eraseLines = /^(?:\u001B\[2K\u001B\[1A)*(?:\u001B\[2K\u001B\[G)?/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const colours = /\u001B\[[0-9;]*m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const anyEscape = /\u001B/;

export type ContractResult = {
	/** Each frame the terminal did not show as Ink wrote it, with what it showed. */
	mismatches: string[];
	frames: number;
	/** Of each screen the test waited for, whether the terminal showed it from a frame that was checked. */
	awaitedChecked: Record<string, boolean>;
	/** What Ink wrote, and what of it reached the terminal. */
	inkBytes: number;
	bytes: number;
};

/** A keyboard as Ink's stdin wants it: a TTY stream the test types into. */
function keyboard() {
	const source = Object.assign(new PassThrough({ encoding: "utf8" }), {
		isTTY: true,
		setRawMode: () => source,
		ref: () => source,
		unref: () => source,
	});
	return source;
}

/**
 * The app on the database at `path`, rendered by Ink itself (not
 * ink-testing-library) through the changed-cells writer the bin uses, keys
 * through the bin's paced stdin: into the profile list, down it, into a
 * form, typing, saving and back out.
 */
export async function checkInkContract(path: string): Promise<ContractResult> {
	const store = await ConfigurationStore.open(path, { author: "tester@ink" });
	const terminal = new FakeTerminal(80, 24);
	const writer = changedCellsOnly(terminal as unknown as NodeJS.WriteStream);
	const mismatches: string[] = [];
	let frames = 0;
	// The screen each checked frame left on the terminal.
	const checkedScreens = new Set<string>();
	let inkBytes = 0;
	const checked = new Proxy(writer, {
		get(target, property) {
			if (property !== "write") return Reflect.get(target, property, target);
			return (data: string, ...rest: unknown[]) => {
				inkBytes += Buffer.byteLength(String(data));
				const written = (target.write as (...all: unknown[]) => boolean)(
					data,
					...rest,
				);
				const frame = String(data).replace(eraseLines, "");
				if (frame === "" || anyEscape.test(frame.replace(colours, "")))
					return written;
				frames += 1;
				const lines = frame.replace(colours, "").split("\n");
				if (frame.endsWith("\n")) lines.pop();
				const shown = terminal.text().slice(0, lines.length);
				const expected = lines.map((line) => line.trimEnd());
				checkedScreens.add(terminal.text().join("\n"));
				if (JSON.stringify(shown) !== JSON.stringify(expected))
					mismatches.push(
						`frame ${frames}:\n${expected.join("\n")}\n--- the terminal showed ---\n${shown.join("\n")}`,
					);
				return written;
			};
		},
	});
	const keys = keyboard();
	const app = render(<App store={store} />, {
		stdout: checked,
		stdin: pacedStdin(keys as unknown as NodeJS.ReadStream),
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const awaitedChecked: Record<string, boolean> = {};
	try {
		const screen = () => terminal.text().join("\n");
		const showing = async (text: string) => {
			await waitUntil(
				() => screen().includes(text),
				`the screen to show ${text}`,
			).catch((error: Error) => {
				throw new Error(`${error.message}; it shows:\n${screen()}`);
			});
			awaitedChecked[text] = checkedScreens.has(screen());
		};
		await showing("q quit");
		keys.write(":async\r");
		await showing("PROFILE-1");
		for (let press = 0; press < 12; press++) keys.write("\u001B[B");
		await showing("PROFILE-13");
		keys.write("\r");
		await showing("Data download interval");
		keys.write("\t\t");
		keys.write("\u007F\u007F42");
		await showing("Data download interval in minutes 42\n");
		keys.write("\u0013");
		await showing("Saved Async Server profile");
		keys.write("\u001B");
		await waitUntil(
			() => !screen().includes("Data download interval"),
			"the form to close",
		);
	} finally {
		app.unmount();
	}
	return {
		mismatches,
		frames,
		awaitedChecked,
		inkBytes,
		bytes: Buffer.byteLength(terminal.written),
	};
}
