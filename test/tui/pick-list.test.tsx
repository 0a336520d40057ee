import test from "ava";
import chalk from "chalk";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { makeChannelIntegration } from "../helpers/channel-integration.js";
import { keys, openForm, type RenderedApp } from "../helpers/render-app.js";
import { stylesBefore, withoutStyles } from "../helpers/sgr.js";

// These tests read the highlight (SGR inverse), so chalk must paint.
chalk.level = 1;

const inverse = "\u001B[7m";
const inverseOff = "\u001B[27m";

/** A store with profiles P-01 … P-`count` besides STORE-DEFAULT; P-02 runs on cron. */
async function storeWithProfiles(count: number): Promise<{
	db: string;
	store: ConfigurationStore;
}> {
	const { db } = await makeChannelIntegration();
	const store = await ConfigurationStore.open(db);
	for (let index = 1; index <= count; index += 1) {
		const name = `P-${String(index).padStart(2, "0")}`;
		const cron: Record<string, string> =
			index === 2
				? { downloadCron: "*/15 8-22 * * 1-6", timeZone: "Europe/Berlin" }
				: {};
		const outcome = await store.save(profileKind, {
			...profileKind.emptyDraft(),
			name,
			description: `Profile number ${index} for the stores of the northern region`,
			downloadIntervalMinutes: "15",
			uploadIntervalMinutes: "30",
			...cron,
		});
		if (!outcome.ok) throw new Error(`profile ${name} refused`);
	}
	return { db, store };
}

/** The channel database form of STORE-1 with its profile list open. */
async function profileListOpen(
	db: string,
	columns: number,
	rows: number,
): Promise<RenderedApp> {
	const app = await openForm(db, "chdb");
	await app.resize(columns, rows);
	await app.press(keys.enter);
	await app.waitFor('Edit Channel database "STORE-1"');
	await app.press(keys.tab, keys.tab, keys.tab, keys.tab);
	await app.waitFor(/› Async Server profile/);
	await app.press(keys.enter);
	await app.waitFor("Async Server profile:");
	return app;
}

const lines = (app: RenderedApp) => withoutStyles(app.screen()).split("\n");

test.serial(
	"at 80×24 the profile list opens under the form, which keeps the field it fills in view, and shows each profile's schedule and description",
	async (t) => {
		const { db } = await storeWithProfiles(2);
		const app = await profileListOpen(db, 80, 24);
		t.teardown(app.unmount);
		const shown = lines(app);
		t.true(shown.length <= 24);
		const field = shown.findIndex((line) =>
			/› Async Server profile/.test(line),
		);
		const list = shown.findIndex((line) =>
			line.includes("Async Server profile:"),
		);
		t.true(field >= 0 && field < list, "the field is above the list");
		// Fields around it stay too, with a marker for the ones left out.
		t.true(shown.some((line) => line.includes("Channel data group")));
		t.true(shown.some((line) => /▼ \d+ more fields? below/.test(line)));
		const frame = shown.join("\n");
		t.regex(frame, /›STORE-DEFAULT +↓ every 15 min · ↑ every 30 min · Stores/);
		t.regex(frame, /P-02 +↓ cron \*\/15 8-22 \* \* 1-6 \(Europe\/Berlin\)/);
		// The others' facts take a line and say where they are cut; the highlighted one's wrap whole.
		t.regex(
			frame,
			/P-01 +↓ every 15 min · ↑ every 30 min · Profile number 1 for the … │/,
		);
		await app.press(keys.down);
		await app.waitFor(/number 1 for the +│\n│ +stores of the northern region/);
		t.regex(withoutStyles(app.screen()), /›P-01/);
	},
);

test.serial(
	"at 160×45 the profile list opens beside the form, every field still shown",
	async (t) => {
		const { db } = await storeWithProfiles(2);
		const app = await profileListOpen(db, 160, 45);
		t.teardown(app.unmount);
		const shown = lines(app);
		t.true(
			shown.some((line) =>
				/Channel data group .*│ Async Server profile:/.test(line),
			),
			shown.join("\n"),
		);
		t.true(
			shown.some((line) =>
				/› Async Server profile .*STORE-DEFAULT .*│ /.test(line),
			),
		);
		for (const label of [
			"Channel database ID",
			"Retail channels",
			"Spread load across the interval",
		])
			t.true(
				shown.some((line) => line.startsWith(`  ${label}`)),
				label,
			);
		t.false(shown.some((line) => /more fields? (above|below)/.test(line)));
	},
);

test.serial(
	"the highlighted choice is one inverse band across the list, its facts included; the others' facts are dim",
	async (t) => {
		const { db } = await storeWithProfiles(2);
		const app = await profileListOpen(db, 80, 24);
		t.teardown(app.unmount);
		await app.press(keys.down);
		await app.waitFor(/›P-01/);
		const row =
			app
				.screen()
				.split("\n")
				.find((line) => withoutStyles(line).includes("›P-01")) ?? "";
		const band = row.slice(row.indexOf(inverse), row.lastIndexOf(inverseOff));
		t.is(row.split(inverse).length, 2, "one inverse run");
		// From the mark to the right border: 80 columns less border and padding.
		t.is(withoutStyles(band).length, 80 - 4, row);
		t.regex(withoutStyles(band), /›P-01 +↓ every 15 min/);
		t.deepEqual(stylesBefore(app.screen(), "↓ cron */15"), ["dim"]);
		t.deepEqual(stylesBefore(app.screen(), "P-02"), []);
	},
);

test.serial(
	"more choices than fit scroll between markers; the list opens on the field's value",
	async (t) => {
		const { db } = await storeWithProfiles(30);
		const app = await profileListOpen(db, 80, 24);
		t.teardown(app.unmount);
		// STORE-DEFAULT is the value: the cursor starts there, at the top.
		t.regex(app.screen(), /›STORE-DEFAULT/);
		await app.waitFor(/▼ \d+ more choices \(↓\)/);
		t.false(app.screen().includes("more choices (↑)"));
		while (!withoutStyles(app.screen()).includes("›P-30"))
			await app.press(keys.down);
		t.regex(withoutStyles(app.screen()), /▲ \d+ more choices \(↑\)/);
		t.false(withoutStyles(app.screen()).includes("more choices (↓)"));
		t.true(lines(app).length <= 24);
		await app.press(keys.enter);
		await app.waitFor(/Async Server profile\s+P-30/);
		t.pass();
	},
);

test.serial(
	"a profile added from outside while the list is open leaves the cursor on its choice",
	async (t) => {
		const { db, store } = await storeWithProfiles(3);
		const app = await profileListOpen(db, 100, 30);
		t.teardown(app.unmount);
		await app.press(keys.down, keys.down);
		await app.waitFor(/›P-02/);
		const outcome = await store.save(profileKind, {
			...profileKind.emptyDraft(),
			name: "A-FIRST",
			downloadIntervalMinutes: "5",
			uploadIntervalMinutes: "5",
		});
		t.true(outcome.ok);
		await app.waitFor("A-FIRST");
		t.regex(withoutStyles(app.screen()), /›P-02/);
		await app.press(keys.enter);
		await app.waitFor(/Async Server profile\s+P-02/);
		t.pass();
	},
);
