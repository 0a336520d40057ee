import { readFile, rmdir } from "node:fs/promises";
import test from "ava";
import { runDownloadCycle } from "../../source/client/download-cycle.js";
import {
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	downloadContext,
	makeClientSetup,
	uploadFolder,
} from "../helpers/client-setup.js";
import { keys, openForm, type RenderedApp } from "../helpers/render-app.js";

startsClientProcesses(test);

/** The Channel database form of STORE1, opened from its list. */
async function storeForm(
	t: { teardown: (fn: () => void) => void },
	setup: ClientSetup,
): Promise<RenderedApp> {
	const app = await openForm(setup.db, "channel database");
	t.teardown(app.unmount);
	await app.waitFor("STORE1");
	await app.press(keys.enter);
	await app.waitFor('Edit Channel database "STORE1"');
	return app;
}

/** Applies one package, so STORE1's data is kept in its SQLite file. */
async function withData(setup: ClientSetup): Promise<void> {
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	const context = await downloadContext(setup, "STORE1");
	await runDownloadCycle(context);
	await context.store.close();
}

/** Whether the frame holds `text`, wherever the terminal wrapped it. */
const showsWrapped = (text: string) => (frame: string) =>
	frame.replace(/[\s│]+/g, "").includes(text.replace(/\s+/g, ""));

test.serial(
	"^T on the Channel database form shows each check of cdx channel-db test, ✓ or ✗ with the fix; the footer and the form's help offer it",
	async (t) => {
		const setup = await makeClientSetup();
		await rmdir(uploadFolder(setup, "STORE1")).catch(() => {});
		await rmdir(setup.uploadPath);
		const app = await storeForm(t, setup);
		await app.waitFor("^T test");
		await app.press(keys.ctrlO);
		await app.waitFor("Test the channel database as saved");
		await app.press(keys.escape);
		await app.waitFor("^T test");

		await app.press(keys.ctrlT);
		await app.waitFor('Test of Channel database "STORE1"');
		await app.waitFor("1 check failed.");
		const frame = app.screen();
		// Each path may wrap: how long it is depends on the machine's TMPDIR.
		t.true(
			showsWrapped(
				`✓ Download working folder ${setup.downloadPath}: reachable and writable`,
			)(frame),
		);
		t.true(
			showsWrapped(`✗ Upload working folder ${setup.uploadPath}: is not there`)(
				frame,
			),
		);
		t.true(
			showsWrapped(
				"fix: mount the share, or create the folder (cdx working-folders set HQ --create)",
			)(frame),
		);
		t.regex(frame, /✓ Credentials of user user-STORE1: the password decrypts/);
		t.regex(frame, /✓ Channel database: sqlite /);

		await app.press(keys.escape);
		await app.waitFor('Edit Channel database "STORE1"');
		t.false(app.screen().includes("Test of"));
	},
);

test.serial(
	"a new channel database is tested once saved: ^T says so",
	async (t) => {
		const setup = await makeClientSetup();
		const app = await openForm(setup.db, "channel database");
		t.teardown(app.unmount);
		await app.press("n");
		await app.waitFor("New Channel database");
		await app.press(keys.ctrlT);
		await app.waitFor(
			"Save the Channel database first: the test checks it as saved",
		);
		t.false(app.screen().includes("Test of"));
	},
);

/** Types a server and database into the form's Retail Server fields and saves. */
async function saveServer(app: RenderedApp): Promise<void> {
	for (let field = 0; field < 6; field += 1) await app.press(keys.tab);
	await app.type("db.example:5432");
	await app.press(keys.tab);
	await app.type("store1");
	await app.press(keys.ctrlS);
}

test.serial(
	"a save that changes where kept data is, is refused with the exact cdx channel-db set … --move command; nothing is saved",
	async (t) => {
		const setup = await makeClientSetup();
		await withData(setup);
		const before = await readFile(setup.db, "utf8");
		const app = await storeForm(t, setup);
		await saveServer(app);
		await app.waitFor(
			showsWrapped(`✗ channel database STORE1 keeps its data in sqlite`),
		);
		await app.waitFor(
			showsWrapped(
				`: run cdx channel-db set STORE1 --server db.example:5432 --database store1 --move --db ${setup.db} (nothing saved)`,
			),
		);
		t.true(
			app.screen().includes('Edit Channel database "STORE1"'),
			"the form stays open with the edits",
		);
		t.is(await readFile(setup.db, "utf8"), before, "db.json unchanged");
	},
);

test.serial(
	"while its client runs, a save that changes where the data is, is refused; nothing is saved",
	async (t) => {
		const setup = await makeClientSetup();
		const { client } = await startIdleClient(t, setup);
		const before = await readFile(setup.db, "utf8");
		const app = await storeForm(t, setup);
		await saveServer(app);
		await app.waitFor(
			showsWrapped(
				"✗ the client of channel database STORE1 is running; stop it before changing where its data is (nothing saved)",
			),
		);
		t.is(await readFile(setup.db, "utf8"), before, "db.json unchanged");
		t.is((await stopClient(client)).code, 0);
	},
);
