import { readFile } from "node:fs/promises";
import test from "ava";
import { makeTempDatabase } from "../helpers/database.js";
import { formForTest, keys, newRecordForTest } from "../helpers/render-app.js";

// Pastes as a terminal without bracketed paste sends them: plain text in one
// read, through the same keyboard (terminalKeys, keyPacer) as cdx's.

test.serial(
	"an unmarked paste into each of two fields lands in each, Tab between them still moves on, each field keeps what fits",
	async (t) => {
		const path = await makeTempDatabase();
		const app = await newRecordForTest(t, path, "async");
		const name = "NORTH-EAST_".repeat(4);
		const description = "North and east stores, every night; ".repeat(3);
		// One read: a paste, Tab, a paste, Tab, typed figures, Tab, typed figures.
		await app.press(`${name}\t${description}\t15\t30`);
		await app.press(keys.ctrlS);
		await app.waitFor(`Saved Async Server profile "${name.slice(0, 20)}"`);
		const saved = JSON.parse(await readFile(path, "utf8"));
		t.like(saved.profiles[0], {
			name: name.slice(0, 20),
			description: description.slice(0, 60).trimEnd(),
			downloadIntervalMinutes: 15,
			uploadIntervalMinutes: 30,
		});
	},
);

test.serial(
	"a 3,000-character unmarked paste into a field with no maximum is one edit: the form draws it once, not 3,000 times",
	async (t) => {
		const app = await newRecordForTest(t, await makeTempDatabase(), "working");
		await app.press(keys.tab, keys.tab);
		await app.waitFor("› Download working folder");
		const path = `${`/srv/${"stores/north-0123/".repeat(200)}`.slice(0, 2995)}final`;
		const framesBefore = app.frames.length;
		await app.press(`${path}\t`);
		await app.waitFor("› Upload working folder");
		const drawn = app.frames.length - framesBefore;
		t.true(drawn < 20, `${drawn} frames for the paste and Tab`);
		// Focused again, the field shows the end of what it holds: all of it landed.
		await app.press(keys.shiftTab);
		await app.waitFor(/› Download working folder\s+…\S*final/);
	},
);

test.serial(
	"an unmarked paste on a list is text, not keys: no form opens, nothing is deleted, and keys after it still act",
	async (t) => {
		const app = await formForTest(t, await makeTempDatabase(), "async");
		// Typed, "n" would open a new profile and "q" would quit.
		await app.press(
			"n quietly deleted / sorted, then quit: q d s ? n ".repeat(3),
		);
		t.true(app.screen().includes("^N new"), "still the list");
		t.false(app.screen().includes("New Async Server profile"));
		await app.press(keys.ctrlN);
		await app.waitFor("New Async Server profile");
		t.regex(app.screen(), /› Name\s*$/m, "the paste did not reach the form");
	},
);
