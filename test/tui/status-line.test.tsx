import test from "ava";
import chalk from "chalk";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	makeProfile,
	makeTempDatabase,
	makeTempDatabasePath,
	seedChannelIntegration,
} from "../helpers/database.js";
import { manualClock } from "../helpers/manual-clock.js";
import { keys, openForm, renderApp } from "../helpers/render-app.js";

// Ink paints through chalk, which sees no terminal here and paints nothing;
// these tests are about colour, so they ask chalk (Ink's own, ava's too) for it.
chalk.level = 1;

const red = "\u001B[31m";
const yellow = "\u001B[33m";
const green = "\u001B[32m";

async function seeded(): Promise<string> {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path));
	return path;
}

test.serial(
	"a refused delete is red and marked ✗, not in the colour of success",
	async (t) => {
		const app = await openForm(await seeded(), "async");
		t.teardown(app.unmount);
		await app.press("d");
		await app.waitFor("(y/n)");
		await app.press("y");
		await app.waitFor("Not deleted");
		t.true(app.screen().includes(`${red}✗ Not deleted`), app.screen());
	},
);

test.serial("a save is green and marked ✓", async (t) => {
	const app = await openForm(
		await makeTempDatabase([makeProfile("STORE-A")]),
		"async",
	);
	t.teardown(app.unmount);
	await app.press(keys.enter);
	await app.waitFor('Edit Async Server profile "STORE-A"');
	await app.press(keys.ctrlS);
	await app.waitFor("Saved Async Server profile");
	t.true(app.screen().includes(`${green}✓ Saved Async Server profile`));
});

test.serial(
	"a warning is yellow and marked ⚠: nothing to delete in an empty list",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "async");
		t.teardown(app.unmount);
		await app.press("d");
		await app.waitFor("The list is empty");
		t.true(app.screen().includes(`${yellow}⚠ The list is empty`));
	},
);

test.serial(
	"with NO_COLOR the refusal keeps its ✗ but has no colour",
	async (t) => {
		const app = await openForm(await seeded(), "async", { colors: false });
		t.teardown(app.unmount);
		await app.press("d", "y");
		await app.waitFor("✗ Not deleted");
		t.false(app.screen().includes(red));
		t.false(app.screen().includes(green));
	},
);

test.serial("a message goes away at the next key press", async (t) => {
	const app = await openForm(
		await makeTempDatabase([makeProfile("A"), makeProfile("B")]),
		"async",
	);
	t.teardown(app.unmount);
	await app.press("d", "y");
	await app.waitFor('Deleted Async Server profile "A"');
	await app.press(keys.down);
	await app.waitFor((frame) => !frame.includes("Deleted Async Server"));
	t.pass();
});

test.serial(
	"a message goes away by itself a few seconds later (the injected clock)",
	async (t) => {
		const clock = manualClock("2026-03-01T10:00:00Z");
		const app = await openForm(
			await makeTempDatabase([makeProfile("A"), makeProfile("B")]),
			"async",
			{ clock },
		);
		t.teardown(app.unmount);
		await app.press("d", "y");
		await app.waitFor('Deleted Async Server profile "A"');
		await app.settle();
		clock.advance(2000);
		await app.settle();
		t.true(app.screen().includes('Deleted Async Server profile "A"'));
		clock.advance(3000);
		await app.waitFor((frame) => !frame.includes("Deleted Async Server"));
	},
);

test.serial(
	"a message belongs to its screen: 'Esc goes back' is not shown after going back",
	async (t) => {
		const app = await openForm(await seeded(), "chdb");
		t.teardown(app.unmount);
		await app.press(keys.enter);
		await app.waitFor('Edit Channel database "STORE-1"');
		await app.press(keys.tab, keys.tab, keys.tab, keys.tab, keys.ctrlG);
		await app.waitFor("Esc/← goes back");
		await app.press(keys.escape);
		await app.waitFor('Edit Channel database "STORE-1"');
		t.false(app.screen().includes("goes back"));
	},
);

test.serial(
	"a message that comes after its screen was left is not shown on the next one",
	async (t) => {
		let answer = () => {};
		const app = await renderApp(await seeded(), {
			runNow: () =>
				new Promise<string | undefined>((resolve) => {
					answer = () => resolve(undefined);
				}),
		});
		t.teardown(app.unmount);
		await app.waitFor("STORE-1");
		await app.press("p");
		await app.waitFor("D download now");
		await app.press("D", keys.escape);
		await app.waitFor("p panel");
		answer();
		await app.settle();
		t.false(app.screen().includes("client is not running"), app.screen());
	},
);
