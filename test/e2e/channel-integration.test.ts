import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import test from "ava";
import { makeTempDatabasePath, readDatabase } from "../helpers/database.js";
import { cdxBin, startTerminal } from "../helpers/tmux.js";

test("from an empty database an operator sets up a whole store from the keyboard", async (t) => {
	const path = await makeTempDatabasePath();
	const root = dirname(path);
	const terminal = startTerminal(80, 24);
	t.teardown(terminal.close);
	terminal.run(`node ${cdxBin} --db ${path}`);
	await terminal.waitFor("q quit");
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
