import { readFile } from "node:fs/promises";
import test from "ava";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";
import { manualClock } from "../helpers/manual-clock.js";
import {
	appForTest,
	fillForm,
	formForTest,
	keys,
	newRecordForTest,
	type RenderedApp,
} from "../helpers/render-app.js";

const breadcrumb =
	"Retail › Setup › Retail scheduler › Channel integration › Async Server profile";

const fillNewProfile = (
	app: RenderedApp,
	values: [string, string, string, string],
) => fillForm(app, values);

test.serial(
	"opens on the navigation tree of the ERP menu, with the keys in the footer",
	async (t) => {
		const app = await appForTest(t, await makeTempDatabase());
		for (const label of [
			"Retail",
			"Setup",
			"Retail scheduler",
			"Channel integration",
			"Async Server profile",
		]) {
			t.true(app.screen().includes(label), label);
		}
		t.regex(app.screen(), /Enter\/→ open.*: go to.*\? help.*q quit/);
	},
);

test.serial(
	"arrows walk the tree, the breadcrumb follows, Enter opens the form's list",
	async (t) => {
		const app = await appForTest(
			t,
			await makeTempDatabase([makeProfile("STORE-A")]),
		);
		await app.press(keys.down, keys.down, keys.down, keys.down);
		await app.waitFor(breadcrumb);
		t.true(app.screen().includes("1 record."));
		await app.press(keys.enter);
		await app.waitFor("STORE-A");
		t.true(app.screen().includes("every 15 min"));
	},
);

test.serial(
	"Esc and ← collapse a folder and go back to its parent",
	async (t) => {
		const app = await appForTest(t, await makeTempDatabase());
		await app.press(keys.down, keys.left);
		await app.waitFor("▸ Setup");
		t.false(app.screen().includes("Channel integration"));
		await app.press(keys.right);
		await app.waitFor("Channel integration");
	},
);

test.serial(
	"the go-to prompt jumps to a form by a fuzzy name and leaves the focus in its list",
	async (t) => {
		const app = await newRecordForTest(t, await makeTempDatabase(), "async");
		t.true(app.screen().includes(breadcrumb));
	},
);

test.serial(
	"creates a profile from the keyboard and shows it in the list",
	async (t) => {
		const path = await makeTempDatabase();
		const app = await newRecordForTest(t, path, "async");
		await fillNewProfile(app, ["STORE-NORTH", "North stores", "15", "30"]);
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "STORE-NORTH"');
		t.regex(
			app.screen(),
			/STORE-NORTH\s+North stores\s+every 15 min\s+every 30 min/,
		);
		const saved = JSON.parse(await readFile(path, "utf8"));
		t.like(saved.profiles[0], {
			name: "STORE-NORTH",
			description: "North stores",
			downloadIntervalMinutes: 15,
			uploadIntervalMinutes: 30,
		});
	},
);

test.serial(
	"Ctrl+N creates a profile too, and Ctrl+S does not type an s",
	async (t) => {
		const app = await formForTest(t, await makeTempDatabase(), "async");
		await app.press(keys.ctrlN);
		await app.waitFor("New Async Server profile");
		await fillNewProfile(app, ["P1", "", "5", "10"]);
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "P1"');
		t.false(app.screen().includes("P1s"));
	},
);

test.serial(
	"refuses a download interval of abc, says why next to the field and keeps what was typed",
	async (t) => {
		const path = await makeTempDatabase();
		const before = await readFile(path, "utf8");
		const app = await newRecordForTest(t, path, "async");
		await fillNewProfile(app, ["P1", "", "abc", "0"]);
		await app.press(keys.ctrlS);
		await app.waitFor('must be a whole number from 1 to 1440 (got "abc")');
		t.true(
			app.screen().includes('must be a whole number from 1 to 1440 (got "0")'),
		);
		t.regex(app.screen(), /Data download interval in minutes\s+abc/);
		t.is(await readFile(path, "utf8"), before);
		// The focus went to the first field with a problem; fixing both saves.
		await app.press(keys.backspace, keys.backspace, keys.backspace);
		await app.type("20");
		await app.press(keys.tab, keys.backspace);
		await app.type("40");
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "P1"');
	},
);

test.serial(
	"shows a problem once the field is left, before any save",
	async (t) => {
		const app = await newRecordForTest(t, await makeTempDatabase(), "async");
		await app.type("bad name!");
		t.false(app.screen().includes("must be 1 to 20 characters"));
		await app.press(keys.tab);
		await app.waitFor(
			'must be 1 to 20 characters: letters A-Z, digits, "-" and "_" (got "bad name!")',
		);
	},
);

test.serial("refuses a name another profile has, ignoring case", async (t) => {
	const app = await newRecordForTest(
		t,
		await makeTempDatabase([makeProfile("STORE-A")]),
		"async",
	);
	await fillNewProfile(app, ["store-a", "", "5", "5"]);
	await app.press(keys.ctrlS);
	await app.waitFor('another profile is already called "STORE-A"');
	t.true(app.screen().includes("New Async Server profile"));
});

test.serial(
	"Enter on a row edits it; the save bumps the record's version",
	async (t) => {
		const path = await makeTempDatabase([
			makeProfile("STORE-A", { downloadIntervalMinutes: 15 }),
		]);
		const app = await formForTest(t, path, "async");
		await app.press(keys.enter);
		await app.waitFor('Edit Async Server profile "STORE-A"');
		await app.press(keys.tab, keys.tab, keys.backspace, keys.backspace);
		await app.type("45");
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "STORE-A"');
		t.regex(app.screen(), /STORE-A\s+every 45 min\s+every 30 min/);
		const saved = JSON.parse(await readFile(path, "utf8"));
		t.like(saved.profiles[0], { downloadIntervalMinutes: 45, version: 2 });
	},
);

test.serial(
	"d asks before deleting: n keeps the profile, y deletes it",
	async (t) => {
		const path = await makeTempDatabase([
			makeProfile("STORE-A"),
			makeProfile("STORE-B"),
		]);
		const app = await formForTest(t, path, "async");
		await app.press("d");
		await app.waitFor('Delete Async Server profile "STORE-A"? (y/n)');
		await app.press("n");
		await app.waitFor(/\^N new/);
		t.true(app.screen().includes("STORE-A"));
		await app.press("d");
		await app.waitFor("(y/n)");
		await app.press("y");
		await app.waitFor('Deleted Async Server profile "STORE-A"');
		t.false(app.screen().includes("STORE-A "));
		const saved = JSON.parse(await readFile(path, "utf8"));
		t.deepEqual(
			saved.profiles.map((profile: { name: string }) => profile.name),
			["STORE-B"],
		);
	},
);

test.serial("Esc with unsaved changes asks before dropping them", async (t) => {
	const app = await newRecordForTest(t, await makeTempDatabase(), "async");
	await app.type("DRAFT");
	await app.press(keys.escape);
	await app.waitFor("Drop your unsaved changes? (y/n)");
	await app.press("n");
	await app.waitFor(/Name\s+DRAFT/);
	await app.press(keys.escape);
	await app.waitFor("(y/n)");
	await app.press("y");
	await app.waitFor("No Async Server profiles yet");
	t.false(app.screen().includes("DRAFT"));
});

test.serial(
	"? shows every key of the screen, ↓ scrolls to the ones below, any other key closes it",
	async (t) => {
		const app = await formForTest(t, await makeTempDatabase(), "async");
		await app.press("?");
		await app.waitFor("Keys: Async Server profile list");
		t.regex(app.screen(), /n\/\^N\s+New record/);
		await app.waitFor(/▼ \d+ more keys/);
		for (const description of ["Go to a form by name", "Quit from anywhere"]) {
			while (!app.screen().includes(description)) {
				t.regex(app.screen(), /▼ \d+ more key/, `${description} is listed`);
				await app.press(keys.down);
			}
		}
		t.true(app.screen().includes("▲"));
		await app.press("x");
		await app.waitFor("^N new");
		t.false(app.screen().includes("Keys:"));
	},
);

test.serial(
	"a save after another operator changed the profile is refused, says who, and Ctrl+R reloads",
	async (t) => {
		const path = await makeTempDatabase([
			makeProfile("STORE-A", { description: "old" }),
		]);
		const app = await formForTest(t, path, "async");
		await app.press(keys.enter);
		await app.waitFor('Edit Async Server profile "STORE-A"');
		const other = await ConfigurationStore.open(path, {
			author: "alice@store12",
		});
		const current = other.getSnapshot().configuration.profiles[0];
		if (!current) throw new Error("fixture missing");
		await other.save(
			profileKind,
			{
				...profileKind.toDraft(current, other.getSnapshot().configuration),
				description: "alice's",
			},
			{
				id: current.id,
				expectedVersion: current.version,
			},
		);
		await app.press(keys.tab);
		await app.type(" mine");
		await app.press(keys.ctrlS);
		await app.waitFor("alice@store12 changed this Async Server profile");
		t.true(app.screen().includes("Ctrl+R"));
		t.regex(app.screen(), /Description\s+old mine/);
		await app.press(keys.ctrlR);
		await app.waitFor(/Description\s+alice's/);
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "STORE-A"');
	},
);

test.serial(
	"another process's save shows in the list while the operator is typing, and the typing is kept",
	async (t) => {
		const path = await makeTempDatabase();
		const app = await newRecordForTest(t, path, "async");
		await app.type("MINE");
		const other = await ConfigurationStore.open(path, {
			author: "script@store",
		});
		await other.save(profileKind, {
			name: "THEIRS",
			description: "",
			downloadIntervalMinutes: "5",
			uploadIntervalMinutes: "5",
		});
		await app.type("-1");
		await app.waitFor(/Name\s+MINE-1/);
		await app.press(keys.tab);
		await app.type("x");
		await app.press(keys.tab);
		await app.type("5");
		await app.press(keys.tab);
		await app.type("5");
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "MINE-1"');
		await app.waitFor("THEIRS");
		t.regex(app.screen(), /MINE-1[\s\S]*THEIRS/);
	},
);

test.serial("q and Ctrl+C are not typed into a text field", async (t) => {
	const app = await newRecordForTest(t, await makeTempDatabase(), "async");
	await app.type("q");
	await app.waitFor(/Name\s+q/);
	t.true(app.screen().includes("New Async Server profile"));
});

test.serial("Ctrl+C with unsaved edits asks before quitting", async (t) => {
	const app = await newRecordForTest(t, await makeTempDatabase(), "async");
	await app.type("DRAFT");
	await app.press(keys.ctrlC);
	await app.waitFor("Quit and drop your unsaved changes? (y/n)");
	await app.press("n");
	await app.waitFor((frame) => !frame.includes("Quit and drop"));
	t.regex(app.screen(), /Name\s+DRAFT/);
});

test.serial(
	"with 10,000 profiles only the visible window of rows is rendered",
	async (t) => {
		const profiles = Array.from({ length: 10_000 }, (_, index) =>
			makeProfile(`P${String(index).padStart(5, "0")}`),
		);
		const app = await formForTest(t, await makeTempDatabase(profiles), "async");
		const rows = app
			.screen()
			.split("\n")
			.filter((line) => /P\d{5}/.test(line));
		t.true(
			rows.length > 5 && rows.length <= 24,
			`${rows.length} rows rendered`,
		);
		const selected = () => Number(/›P(\d{5})/.exec(app.screen())?.[1]);
		await app.press(keys.pageDown);
		await app.waitFor(/›P000[1-9]\d/);
		const afterPage = selected();
		t.is(afterPage, rows.length, "a page down moves by the rows shown");
		await app.press(keys.down);
		await app.waitFor(`›P${String(afterPage + 1).padStart(5, "0")}`);
		t.true(app.screen().split("\n").length <= 23);
	},
);

test.serial(
	"names and descriptions with escape sequences are shown inert",
	async (t) => {
		const app = await formForTest(
			t,
			await makeTempDatabase([
				makeProfile("EVIL", {
					description: "\u001B]52;c;SGVsbG8=\u0007\u001B[2Jboom",
				}),
			]),
			"async",
		);
		await app.waitFor("EVIL");
		const frame = app.screen();
		t.false(frame.includes("\u0007"));
		t.false(frame.includes("\u001B]52"));
		t.true(frame.includes("␛]52;c;"));
	},
);

test.serial(
	"the profile form previews the next runs of each direction as the operator types",
	async (t) => {
		const clock = manualClock("2026-11-26T08:07:00Z");
		const app = await appForTest(t, await makeTempDatabase(), { clock });
		await app.press(":");
		await app.type("async");
		await app.press(keys.enter);
		await app.waitFor("^N new");
		await app.press("n");
		await app.waitFor("Next downloads (UTC): —");
		await app.press(keys.tab, keys.tab);
		await app.type("15");
		await app.waitFor(
			"Next downloads (UTC): Thu 08:15, Thu 08:30, Thu 08:45, Thu 09:00, Thu 09:15",
		);
		await app.press(keys.tab, keys.tab, keys.tab);
		await app.type("*/15 8-22 * * 1-6");
		await app.press(keys.tab, keys.backspace, keys.backspace, keys.backspace);
		await app.type("Europe/Berlin");
		// 08:07 UTC is 09:07 in Berlin.
		await app.waitFor(
			"Next uploads (Europe/Berlin):   Thu 09:15, Thu 09:30, Thu 09:45, Thu 10:00, Thu 10:15",
		);
		t.true(
			app
				.screen()
				.includes("Next downloads (Europe/Berlin): Thu 09:15, Thu 09:30"),
		);
	},
);

test.serial(
	"a cron expression the parser refuses is shown next to its field, in words",
	async (t) => {
		const app = await appForTest(t, await makeTempDatabase());
		await app.press(":");
		await app.type("async");
		await app.press(keys.enter);
		await app.waitFor("^N new");
		await app.press("n");
		await app.press(keys.tab, keys.tab, keys.tab, keys.tab);
		await app.type("61 * * * *");
		await app.press(keys.tab);
		await app.waitFor(/✗ minute "61": must be within 0-59/);
		t.regex(app.screen(), /Download schedule \(cron\)\s+61 \* \* \* \*/);
	},
);
