import { PassThrough } from "node:stream";
import test from "ava";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { changedCellsOnly } from "../../source/tui/terminal/changed-cells.js";
import { pacedStdin } from "../../source/tui/terminal/paced-input.js";
import { makeProfiles, makeTempDatabase } from "../helpers/database.js";
import { FakeTerminal } from "../helpers/fake-terminal.js";
import { waitUntil } from "../helpers/wait.js";

// Ink draws only the last frame when it thinks it runs under CI (it reads
// the environment once, when it is loaded): as the tmux helper does for the
// bin, the app here runs without CI in its environment, Ink loaded after.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const { render } = await import("ink");
const { App } = await import("../../source/tui/app.js");

// What log-update writes before a frame, and the colours a frame carries.
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const eraseLines = /^(?:\u001B\[2K\u001B\[1A)*(?:\u001B\[2K\u001B\[G)?/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const colours = /\u001B\[[0-9;]*m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const anyEscape = /\u001B/;

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
 * The real app, rendered by Ink itself (not ink-testing-library) through the
 * changed-cells writer the bin uses, keys coming through the bin's paced
 * stdin. After every frame Ink writes, the terminal behind the writer must
 * show exactly that frame: the contract that lets the writer send only what
 * changed.
 */
test("every frame Ink writes of the real app is what the terminal behind the changed-cells writer shows", async (t) => {
	const path = await makeTempDatabase(makeProfiles(30));
	const store = await ConfigurationStore.open(path, { author: "tester@ink" });
	const terminal = new FakeTerminal(80, 24);
	const writer = changedCellsOnly(terminal as unknown as NodeJS.WriteStream);
	const mismatches: string[] = [];
	let frames = 0;
	const checked = new Proxy(writer, {
		get(target, property) {
			if (property !== "write") return Reflect.get(target, property, target);
			return (data: string, ...rest: unknown[]) => {
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
	t.teardown(() => app.unmount());
	const screen = () => terminal.text().join("\n");
	const showing = (text: string) =>
		waitUntil(
			() => screen().includes(text),
			`the screen to show ${text}`,
		).catch((error: Error) => {
			throw new Error(`${error.message}; it shows:\n${screen()}`);
		});

	await showing("q quit");
	// Into the profile list, down it, into a form, typing, saving, and back out.
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

	t.deepEqual(mismatches, []);
	// Ink throttles frames, so under load screens merge: only the seven awaited ones are sure.
	t.true(frames >= 7, `${frames} frames checked`);
	t.log(
		`${frames} frames checked, ${terminal.written.length} bytes reached the terminal`,
	);
});
