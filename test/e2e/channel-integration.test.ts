import { stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import { runCdx } from "../helpers/cdx.js";
import {
	startClient,
	startsClientProcesses,
} from "../helpers/client-processes.js";
import type { ClientSetup } from "../helpers/client-setup.js";
import { makeTempDatabasePath, readDatabase } from "../helpers/database.js";
import { cdxInTerminal } from "../helpers/tmux.js";

startsClientProcesses(test);

test("at 80×24, from an empty database, an operator sets up a whole store from the keyboard and the live panel shows its client applying a package", async (t) => {
	const path = await makeTempDatabasePath();
	const root = dirname(path);
	const terminal = await cdxInTerminal(t, path);
	const goTo = async (query: string, breadcrumbEnd: string) => {
		terminal.type(`:${query}`);
		terminal.press("Enter");
		await terminal.waitFor(`› ${breadcrumbEnd}`);
		await terminal.waitFor("^N new");
	};

	await goTo("working", "Working folders");
	terminal.type("n");
	terminal.type("WF1");
	terminal.press("Tab", "Tab");
	terminal.type(`${root}/hq/download`);
	terminal.press("Tab");
	terminal.type(`${root}/hq/upload`);
	terminal.press("C-s");
	await terminal.waitFor("Create the missing folders");
	terminal.type("y");
	await terminal.waitFor("Created ");

	await goTo("data group", "Channel data group");
	terminal.type("n");
	terminal.type("DG1");
	terminal.press("Tab", "Tab", "Enter", "Enter");
	terminal.press("Enter");
	terminal.type("WF1");
	terminal.press("Enter");
	terminal.press("C-s");
	await terminal.waitFor('Saved Channel data group "DG1"');

	await goTo("async", "Async Server profile");
	terminal.type("n");
	terminal.type("P1");
	terminal.press("Tab", "Tab");
	terminal.type("15");
	terminal.press("Tab");
	terminal.type("30");
	terminal.press("C-s");
	await terminal.waitFor('Saved Async Server profile "P1"');

	await goTo("channel database", "Channel database");
	terminal.type("n");
	terminal.type("STORE-1");
	terminal.press("Tab", "Enter");
	terminal.type("DG1");
	terminal.press("Enter");
	terminal.type("pos-user");
	terminal.press("Tab");
	terminal.type("s3cret-pass");
	terminal.press("Tab", "Enter");
	terminal.type("P1");
	terminal.press("Enter");
	terminal.type("S0001, S0002");
	terminal.press("C-s");
	await terminal.waitFor('Saved Channel database "STORE-1"');
	t.false(terminal.screen().includes("s3cret-pass"));

	// The live panel shows the new store at once: expected times, and how to start its client.
	await terminal.waitFor(/^STORE-1 +not started +≈\w{3} \d\d:\d\d/m);
	await terminal.waitFor(
		"≈ expected times, no client running: cdx client --channel-db STORE-1",
	);
	// Its client, as the hint says, applies a package headquarters sends.
	const client = startClient({ db: path } as ClientSetup, "STORE-1");
	t.teardown(() => client.child.kill("SIGKILL"));
	await terminal.waitFor(/^STORE-1 +running +\w{3} \d\d:\d\d/m);
	const rows = join(root, "rows.json");
	await writeFile(
		rows,
		JSON.stringify({ tables: { PRICES: [{ key: "A", price: 1 }] } }),
	);
	const created = runCdx([
		"package",
		"create",
		"--data-group",
		"DG1",
		"--from",
		rows,
		"--db",
		path,
	]);
	t.is(created.status, 0, created.stderr);
	terminal.type("p");
	await terminal.waitFor("selected STORE-1");
	terminal.type("D");
	terminal.press("Enter");
	await terminal.waitFor(/Last download +Applied .*1 pkg 1 row\b/);
	// The detail fits 80×24 with its footer.
	t.regex(terminal.screen(), /^D download now .*Esc\/← back/m);
	terminal.press("Escape");
	await terminal.waitFor("selected STORE-1");
	terminal.press("Escape");
	await terminal.waitFor("^N new");
	terminal.type("q");
	await terminal.waitFor(/^\$\s*$/m);

	const saved = await readDatabase(path);
	const profile = saved.profiles.find((record) => record.name === "P1");
	const group = saved.dataGroups.find((record) => record.name === "DG1");
	t.like(saved.channelDatabases[0], {
		name: "STORE-1",
		userName: "pos-user",
		channels: ["S0001", "S0002"],
		profileId: profile?.id,
		dataGroupId: group?.id,
	});
	t.is(group?.workingFoldersId, saved.workingFolders[0]?.id);
	t.is(saved.workingFolders[0]?.downloadPath, `${root}/hq/download`);
	t.true((await stat(`${root}/hq/upload`)).isDirectory());
});
