import test from "ava";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	makeProfile,
	makeTempDatabase,
	makeTempDatabasePath,
	seedChannelIntegration,
} from "../helpers/database.js";
import {
	fillForm,
	keys,
	openForm,
	type RenderedApp,
} from "../helpers/render-app.js";

const tooSmall = "Make the window larger";

/** Ink stops reading stdin once the app has exited and every key handler is gone. */
const exited = (app: RenderedApp) => app.stdin.listenerCount("readable") === 0;

test.serial(
	"a form survives a terminal too small for it: the draft and the field in focus come back",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "async");
		t.teardown(app.unmount);
		await app.press("n");
		await fillForm(app, ["STORE-X", "North"]);
		await app.resize(70, 20);
		await app.waitFor(tooSmall);
		t.true(app.screen().includes("this one is 70×20"));
		// Keys while too small go nowhere: nothing is typed into the hidden form.
		await app.type("zz");
		await app.resize(100, 30);
		await app.waitFor("New Async Server profile");
		t.regex(app.screen(), /Name\s+STORE-X/);
		t.regex(app.screen(), /Description\s+North(?!zz)/);
		await app.type("!");
		await app.waitFor(/Description\s+North!/);
	},
);

test.serial(
	"a dialog survives a terminal too small for it and still answers",
	async (t) => {
		const app = await openForm(
			await makeTempDatabase([makeProfile("STORE-A")]),
			"async",
		);
		t.teardown(app.unmount);
		await app.press("d");
		await app.waitFor('Delete Async Server profile "STORE-A"?');
		await app.resize(79, 24);
		await app.waitFor(tooSmall);
		await app.resize(80, 24);
		await app.waitFor('Delete Async Server profile "STORE-A"?');
		await app.press("y");
		await app.waitFor('Deleted Async Server profile "STORE-A"');
		t.false(app.screen().includes("STORE-A\n"));
	},
);

test.serial(
	"q on the too-small screen asks first when a form holds unsaved edits",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "async");
		t.teardown(app.unmount);
		await app.press("n");
		await app.type("DRAFT");
		await app.resize(60, 15);
		await app.waitFor(tooSmall);
		await app.press("q");
		await app.waitFor("Quit and drop your unsaved changes? (y/n)");
		await app.press("n");
		await app.waitFor((frame) => !frame.includes("Quit and drop"));
		t.false(exited(app));
		await app.resize(100, 30);
		await app.waitFor(/Name\s+DRAFT/);
	},
);

test.serial(
	"q on the too-small screen quits at once when nothing is unsaved",
	async (t) => {
		const app = await openForm(await makeTempDatabase(), "async");
		t.teardown(app.unmount);
		await app.resize(60, 15);
		await app.waitFor(tooSmall);
		await app.press("q");
		await app.waitFor(() => exited(app));
		t.false(app.screen().includes("Quit and drop"));
	},
);

test.serial(
	"q asks first even when the unsaved form is hidden under a followed record",
	async (t) => {
		const path = await makeTempDatabasePath();
		await seedChannelIntegration(await ConfigurationStore.open(path));
		const app = await openForm(path, "chdb");
		t.teardown(app.unmount);
		await app.press(keys.enter);
		await app.waitFor('Edit Channel database "STORE-1"');
		await app.press(keys.tab, keys.tab);
		await app.type("-edited");
		await app.press(keys.tab, keys.tab, keys.ctrlG);
		await app.waitFor("Channel integration › Async Server profile");
		await app.press("q");
		await app.waitFor("Quit and drop your unsaved changes? (y/n)");
		await app.press("n", keys.escape);
		await app.waitFor(/User name\s+user1-edited/);
		t.false(exited(app));
	},
);
