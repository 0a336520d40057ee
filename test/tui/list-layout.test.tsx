import test from "ava";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { forms } from "../../source/tui/navigation.js";
import {
	makeProfile,
	makeTempDatabase,
	makeTempDatabasePath,
	seedChannelIntegration,
} from "../helpers/database.js";
import { keys, openForm, renderApp } from "../helpers/render-app.js";

async function seeded(): Promise<string> {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path), "/srv/cdx");
	return path;
}

test.serial(
	"columns are packed to their content and the free width goes to Description",
	async (t) => {
		const app = await openForm(
			await makeTempDatabase([
				makeProfile("A", { description: "North" }),
				makeProfile("STORE-B"),
			]),
			"async",
		);
		t.teardown(app.unmount);
		await app.resize(160, 40);
		await app.waitFor(/Name ↑\s+Description/);
		const header =
			app
				.screen()
				.split("\n")
				.find((line) => line.startsWith(" Name ↑")) ?? "";
		// Name is as wide as "STORE-B" or its header with the arrow, not a fixed 21.
		t.regex(header, /^ Name ↑ {2}Description {40,}Download {5}Upload/);
		t.true(header.trimEnd().length <= 160);
	},
);

test.serial("a list of one says 1 record", async (t) => {
	const app = await openForm(
		await makeTempDatabase([makeProfile("A")]),
		"async",
	);
	t.teardown(app.unmount);
	t.true(app.screen().includes("1 record ·"));
});

test.serial(
	"the go-to prompt lists every form before anything is typed",
	async (t) => {
		const app = await renderApp(await makeTempDatabase());
		t.teardown(app.unmount);
		await app.press(":");
		await app.waitFor("Go to:");
		for (const form of forms)
			t.true(app.screen().includes(form.title), form.title);
	},
);

test.serial(
	"editing a record from a filtered list comes back to the same filter",
	async (t) => {
		const path = await makeTempDatabase([
			makeProfile("NORTH-1"),
			makeProfile("NORTH-2"),
			makeProfile("SOUTH-1"),
		]);
		const app = await openForm(path, "async");
		t.teardown(app.unmount);
		await app.press("/");
		await app.type("north");
		await app.press(keys.enter, keys.down);
		await app.waitFor(/›NORTH-2/);
		await app.press(keys.enter);
		await app.waitFor('Edit Async Server profile "NORTH-2"');
		await app.press(keys.escape);
		await app.waitFor('2 of 3 records match "north"');
		t.regex(app.screen(), /›NORTH-2/);
		t.false(app.screen().includes("SOUTH-1"));
	},
);

test.serial(
	"the profile pick list shows each profile's schedule beside its name",
	async (t) => {
		const app = await openForm(await seeded(), "chdb");
		t.teardown(app.unmount);
		await app.press(keys.enter);
		await app.waitFor('Edit Channel database "STORE-1"');
		await app.press(keys.tab, keys.tab, keys.tab, keys.tab);
		await app.waitFor(/› Async Server profile/);
		await app.press(keys.enter);
		await app.waitFor(/P1 {2}↓ every 15 min · ↑ every 30 min/);
		t.pass();
	},
);

test.serial(
	"the cursor stays on its record when another writer adds one before it, a filter keeps it, and a save follows the record",
	async (t) => {
		const path = await makeTempDatabase([
			makeProfile("NORTH-1"),
			makeProfile("SOUTH-1"),
		]);
		const app = await openForm(path, "async");
		t.teardown(app.unmount);
		// No key pressed yet: the cursor is on the first record, NORTH-1.
		await app.waitFor(/›NORTH-1/);
		await app.store.save(profileKind, {
			...profileKind.emptyDraft(),
			name: "ALPHA",
			downloadIntervalMinutes: "5",
			uploadIntervalMinutes: "5",
		});
		await app.waitFor("3 records");
		t.regex(app.screen(), /›NORTH-1/);
		await app.press("/");
		await app.type("1");
		await app.press(keys.enter);
		await app.waitFor('2 of 3 records match "1"');
		t.regex(app.screen(), /›NORTH-1/);
		await app.press(keys.escape);
		await app.waitFor("3 records");
		// Renamed, it sorts last: the cursor goes with it.
		await app.press(keys.enter);
		await app.waitFor('Edit Async Server profile "NORTH-1"');
		await app.press(keys.ctrlU);
		await app.type("ZULU");
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "ZULU"');
		t.regex(app.screen(), /ALPHA[\s\S]*SOUTH-1[\s\S]*›ZULU/);
	},
);
