import test from "ava";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";
import { keys, openForm } from "../helpers/render-app.js";

const berlin = makeProfile("BERLIN", {
	downloadCron: "*/15 8-22 * * 1-6",
	timeZone: "Europe/Berlin",
});

test.serial(
	"the form says the cron expression replaces the download interval, and only that one",
	async (t) => {
		const app = await openForm(await makeTempDatabase([berlin]), "async");
		t.teardown(app.unmount);
		await app.press(keys.enter);
		await app.waitFor('Edit Async Server profile "BERLIN"');
		t.regex(
			app.screen(),
			/Data download interval in minutes\s+15\s+\(cron replaces the interval\)/,
		);
		t.notRegex(
			app.screen(),
			/Data upload interval in minutes\s+30\s+\(cron replaces/,
		);
	},
);

test.serial(
	"emptying the cron expression brings the interval back at once",
	async (t) => {
		const app = await openForm(await makeTempDatabase([berlin]), "async");
		t.teardown(app.unmount);
		await app.press(keys.enter);
		await app.waitFor("(cron replaces the interval)");
		await app.press(keys.tab, keys.tab, keys.tab, keys.tab);
		await app.waitFor(/› Download schedule \(cron\)/);
		await app.press(...Array.from({ length: 17 }, () => keys.backspace));
		await app.waitFor((frame) => !frame.includes("cron replaces"));
		t.pass();
	},
);
