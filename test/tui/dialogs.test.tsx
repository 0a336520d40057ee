import { stat } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { makeTempDatabase, makeTempFolder } from "../helpers/database.js";
import { keys, openForm, pasted } from "../helpers/render-app.js";

/** A path longer than any dialog line: two long folder names under `root`. */
const longPath = (root: string, side: string) =>
	join(root, `${side}-${"a".repeat(200)}`, "b".repeat(200));

test.serial(
	"at 80×24 a question longer than its room scrolls between markers, keeps the list above it, and y still answers it",
	async (t) => {
		const root = await makeTempFolder();
		const download = longPath(root, "download");
		const upload = longPath(root, "upload");
		const app = await openForm(await makeTempDatabase(), "working");
		t.teardown(app.unmount);
		await app.resize(80, 24);
		await app.press("n");
		await app.waitFor("New Working folders");
		await app.type("WF1");
		await app.press(
			keys.tab,
			keys.tab,
			pasted(download),
			keys.tab,
			pasted(upload),
			keys.ctrlS,
		);
		await app.waitFor("Create the missing folders");
		const first = app.screen();
		t.true(first.split("\n").length <= 24);
		// The list is still there above the question, with its record.
		t.regex(first, /›WF1/);
		t.regex(first, /▼ \d+ more lines? \(↓\)/);
		t.false(first.includes("(y/n)"), "the end is below, not cut off unseen");
		// Reading on to the end: the marker above says where the lines shown start.
		const read: string[] = [];
		const readShown = () => {
			const frame = app.screen();
			const above = Number(/▲ (\d+) more line/.exec(frame)?.[1] ?? 0);
			const shown = frame
				.split("\n")
				.filter((line) => /^│ (?![▲▼])\S/.test(line))
				.map((line) => line.slice(2, -1).trimEnd());
			for (const [index, line] of shown.entries()) read[above + index] = line;
		};
		readShown();
		while (!app.screen().includes("(y/n)")) {
			await app.press(keys.down);
			readShown();
		}
		t.regex(app.screen(), /▲ \d+ more lines? \(↑\)/);
		// The paths hold no spaces: read without the breaks, each is there whole.
		const question = read.join("").replaceAll(" ", "");
		t.true(question.includes(download), question);
		t.true(question.includes(upload), question);
		await app.press("y");
		await app.waitFor("Created");
		t.true((await stat(download)).isDirectory());
		t.true((await stat(upload)).isDirectory());
	},
);

test.serial(
	"a short question takes only its own lines and shows no markers",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "async");
		t.teardown(app.unmount);
		await app.resize(80, 24);
		await app.press("n");
		await app.type("P1");
		await app.press(keys.escape);
		await app.waitFor("Drop your unsaved changes? (y/n)");
		t.false(/[▲▼] \d+ more line/.test(app.screen()));
		await app.press("n");
		await app.waitFor((frame) => !frame.includes("Drop your unsaved"));
		t.regex(app.screen(), /› Name\s+P1/);
	},
);
