import { readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import test, { type ExecutionContext } from "ava";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import { emptyConfiguration } from "../../source/domain/configuration.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	makeTempDatabasePath,
	readDatabase,
	seedChannelIntegration,
	writeTempDatabase,
} from "../helpers/database.js";
import {
	appForTest,
	fillForm,
	formForTest,
	keys,
	type RenderedApp,
} from "../helpers/render-app.js";

type App = RenderedApp;

async function seededDatabase(): Promise<string> {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path));
	return path;
}

/** The form's list for one test, once its breadcrumb shows. */
async function openChannelForm(
	t: ExecutionContext,
	path: string,
	query: string,
	breadcrumbEnd: string,
): Promise<App> {
	const app = await formForTest(t, path, query);
	await app.waitFor(`Channel integration › ${breadcrumbEnd}`);
	return app;
}

const fill = fillForm;

test.serial(
	"the tree lists every Channel integration form and the scheduler parameters",
	async (t) => {
		const app = await appForTest(t, await makeTempDatabasePath());
		for (const form of [
			"Working folders",
			"Channel data group",
			"Channel database",
			"Parameters",
			"Retail scheduler parameters",
		]) {
			t.true(app.screen().includes(form), form);
		}
	},
);

test.serial(
	"working folders refuse a relative path and the same folder twice, next to the field",
	async (t) => {
		const app = await openChannelForm(
			t,
			await makeTempDatabasePath(),
			"working",
			"Working folders",
		);
		await app.press("n");
		await fill(app, ["WF1", "", "srv/down", "srv/down"]);
		await app.press(keys.ctrlS);
		await app.waitFor(
			'must be an absolute path starting with "/" (got "srv/down")',
		);
		await app.press(keys.home);
		for (let index = 0; index < 2; index++) {
			await app.press(keys.home);
			await app.type("/");
			await app.press(keys.tab);
		}
		await app.press(keys.ctrlS);
		await app.waitFor(
			"must not be the same folder as the download working folder",
		);
		await app.press(keys.end);
		await app.press(
			keys.backspace,
			keys.backspace,
			keys.backspace,
			keys.backspace,
		);
		await app.type("up");
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Working folders "WF1"');
		t.regex(app.screen(), /WF1\s+\/srv\/down\s+\/srv\/up/);
	},
);

test.serial(
	"a data group picks its working folders from a searchable list",
	async (t) => {
		const path = await seededDatabase();
		const app = await openChannelForm(t, path, "group", "Channel data group");
		await app.press("n");
		await app.type("DG2");
		await app.press(keys.tab, keys.tab, keys.tab);
		await app.waitFor("(Enter to choose)");
		await app.press(keys.enter);
		await app.waitFor(/Working folders:/);
		await app.type("wf");
		await app.press(keys.enter);
		await app.waitFor(/Working folders\s+WF1/);
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Channel data group "DG2"');
		const saved = await readDatabase(path);
		const group = saved.dataGroups.find(
			(candidate) => candidate.name === "DG2",
		);
		t.is(group?.workingFoldersId, saved.workingFolders[0]?.id);
	},
);

test.serial(
	"a data group's form shows, read-only, the channel databases in it",
	async (t) => {
		const app = await openChannelForm(
			t,
			await seededDatabase(),
			"group",
			"Channel data group",
		);
		await app.press(keys.enter);
		await app.waitFor('Edit Channel data group "DG1"');
		t.regex(app.screen(), /Channel databases in this group[^\n]*\n\s*STORE-1/);
	},
);

test.serial(
	"a channel database's password is typed masked and stored encrypted",
	async (t) => {
		const path = await seededDatabase();
		const app = await openChannelForm(t, path, "chdb", "Channel database");
		await app.press("n");
		await app.type("STORE-2");
		await app.press(keys.tab, keys.enter);
		await app.type("DG1");
		await app.press(keys.enter);
		await app.type("user2");
		await app.press(keys.tab);
		await app.type("hunter22");
		await app.waitFor(/Password\s+••••••••/);
		t.false(app.screen().includes("hunter22"));
		await app.press(keys.tab, keys.enter);
		await app.type("P1");
		await app.press(keys.enter);
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Channel database "STORE-2"');
		const text = await readFile(path, "utf8");
		t.false(text.includes("hunter22"));
		t.regex(text, /"passwordSecret": ?"aes-256-gcm:/);
	},
);

test.serial(
	"user names are unique across channel databases, compared with case",
	async (t) => {
		const app = await openChannelForm(
			t,
			await seededDatabase(),
			"chdb",
			"Channel database",
		);
		await app.press("n");
		await app.type("STORE-2");
		await app.press(keys.tab, keys.tab);
		await app.type("user1");
		await app.press(keys.tab);
		await app.waitFor('another channel database already uses "user1"');
		t.regex(app.screen(), /User name\s+user1/);
	},
);

test.serial(
	"Ctrl+G on a link opens the linked record's form, and Esc comes back to the edit",
	async (t) => {
		const app = await openChannelForm(
			t,
			await seededDatabase(),
			"chdb",
			"Channel database",
		);
		await app.press(keys.enter);
		await app.waitFor('Edit Channel database "STORE-1"');
		await app.press(keys.tab, keys.tab);
		await app.type("-edited");
		await app.press(keys.tab, keys.tab);
		await app.waitFor(/› Async Server profile\s+P1/);
		await app.press(keys.ctrlG);
		await app.waitFor("Channel integration › Async Server profile");
		t.regex(app.screen(), /›P1/);
		await app.press(keys.escape);
		await app.waitFor('Edit Channel database "STORE-1"');
		t.regex(app.screen(), /User name\s+user1-edited/);
	},
);

test.serial(
	"deleting a profile that a channel database uses is refused, naming who uses it",
	async (t) => {
		const path = await seededDatabase();
		const app = await openChannelForm(t, path, "async", "Async Server profile");
		await app.press("d");
		await app.waitFor("(y/n)");
		await app.press("y");
		await app.waitFor(
			'Not deleted: Async Server profile "P1" is used by channel database STORE-1',
		);
		t.is((await readDatabase(path)).profiles.length, 1);
	},
);

test.serial(
	"/ filters the list over every column, ignoring case, and Esc clears it",
	async (t) => {
		const path = await makeTempDatabasePath();
		const store = await ConfigurationStore.open(path);
		await seedChannelIntegration(store);
		for (const [name, user] of [
			["NORTH-1", "n1"],
			["SOUTH-1", "s1"],
			["NORTH-2", "n2"],
		]) {
			await store.save(channelDatabaseKind, {
				...channelDatabaseKind.emptyDraft(),
				name: name ?? "",
				dataGroup: "DG1",
				userName: user ?? "",
				password: "pw",
				profile: "P1",
			});
		}
		const app = await openChannelForm(t, path, "chdb", "Channel database");
		await app.press("/");
		await app.type("north");
		await app.press(keys.enter);
		await app.waitFor('2 of 4 records match "north"');
		// The list, not the live panel under it (which shows every client).
		const list = () => app.screen().split("─ Async Clients")[0] ?? "";
		t.false(list().includes("SOUTH-1"));
		await app.press(keys.escape);
		await app.waitFor("4 records");
		t.true(list().includes("SOUTH-1"));
	},
);

test.serial(
	"> sorts by the next column, s reverses it, the header marks it, and the cursor stays on its record",
	async (t) => {
		const path = await makeTempDatabasePath();
		const store = await ConfigurationStore.open(path);
		await seedChannelIntegration(store);
		const app = await openChannelForm(t, path, "working", "Working folders");
		await store.save(workingFoldersKind, {
			name: "WF0",
			description: "",
			downloadPath: "/z/down",
			uploadPath: "/z/up",
		});
		await app.waitFor("2 records");
		t.regex(app.screen(), /WF0[\s\S]*WF1/);
		await app.press("s");
		await app.waitFor("sorted by Name ↓");
		t.regex(app.screen(), /Name ↓/);
		t.regex(app.screen(), /WF1[\s\S]*WF0/);
		await app.press(keys.down);
		await app.waitFor(/›WF0/);
		await app.press(">");
		await app.waitFor("sorted by Download folder ↑");
		t.regex(app.screen(), /Name\s+Download folder ↑/);
		t.regex(app.screen(), /WF1[\s\S]*WF0/);
		t.regex(app.screen(), /›WF0/);
		await app.press("<");
		await app.waitFor("sorted by Name ↑");
		t.regex(app.screen(), /WF0[\s\S]*WF1/);
		t.regex(app.screen(), /›WF0/);
	},
);

test.serial(
	"f asks, then marks a full data sync for the channel database",
	async (t) => {
		const path = await seededDatabase();
		const app = await openChannelForm(t, path, "chdb", "Channel database");
		await app.press("f");
		await app.waitFor(
			'Full data sync for "STORE-1": send all data again? (y/n)',
		);
		await app.press("y");
		await app.waitFor('Full data sync requested for "STORE-1"');
		t.truthy(
			(await readDatabase(path)).channelDatabases[0]?.fullSyncRequestedAt,
		);
	},
);

test.serial(
	"retail scheduler parameters are edited in place; a try count of 0 means without limit",
	async (t) => {
		const path = await makeTempDatabasePath();
		const app = await appForTest(t, path);
		await app.press(":");
		await app.type("parameters");
		await app.press(keys.enter);
		await app.waitFor(
			"Retail › Setup › Parameters › Retail scheduler parameters",
		);
		await app.waitFor(/Try count\s+3/);
		await app.press(keys.backspace);
		await app.type("0");
		await app.press(keys.tab, keys.backspace, keys.backspace);
		await app.type("x");
		await app.press(keys.ctrlS);
		await app.waitFor('must be a whole number from 1 to 3650 (got "x")');
		await app.press(keys.backspace);
		await app.type("90");
		await app.press(keys.ctrlS);
		await app.waitFor("Saved Retail scheduler parameters");
		t.like((await readDatabase(path)).parameters, {
			tryCount: 0,
			keepDownloadSessionsDays: 90,
		});
	},
);

test.serial(
	"with 10,000 channel databases the list renders only its window, and filtering finds one",
	async (t) => {
		const base = emptyConfiguration();
		const now = "2026-11-26T08:00:00.000Z";
		const meta = { version: 1, modifiedAt: now, modifiedBy: "tester@store" };
		const configuration = {
			...base,
			profiles: [
				{
					id: "p",
					name: "P1",
					description: "",
					downloadIntervalMinutes: 15,
					uploadIntervalMinutes: 30,
					downloadCron: "",
					uploadCron: "",
					timeZone: "UTC",
					...meta,
				},
			],
			workingFolders: [
				{
					id: "w",
					name: "WF1",
					description: "",
					downloadPath: "/d",
					uploadPath: "/u",
					...meta,
				},
			],
			dataGroups: [
				{
					id: "g",
					name: "DG1",
					description: "",
					schema: "AX 2012 R3" as const,
					workingFoldersId: "w",
					...meta,
				},
			],
			channelDatabases: Array.from({ length: 10_000 }, (_, index) => ({
				id: `c${index}`,
				name: `STORE-${String(index).padStart(5, "0")}`,
				dataGroupId: "g",
				userName: `user${index}`,
				passwordSecret: "aes-256-gcm:x",
				profileId: "p",
				channels: [`S${index}`],
				serverName: "",
				databaseName: "",
				spreadLoad: false,
				...meta,
			})),
		};
		const path = await writeTempDatabase(JSON.stringify(configuration));
		const app = await openChannelForm(t, path, "chdb", "Channel database");
		const rows = app
			.screen()
			.split("\n")
			.filter((line) => /STORE-\d{5}/.test(line));
		t.true(
			rows.length > 5 && rows.length <= 20,
			`${rows.length} rows rendered`,
		);
		// The panel counts them as people write numbers.
		t.true(app.screen().includes("─ Async Clients · 10,000 channel databases"));
		await app.press("/");
		await app.type("store-09876");
		await app.press(keys.enter);
		await app.waitFor("1 of 10,000 records match");
		t.regex(app.screen(), /STORE-09876/);
	},
);

test.serial(
	"saving working folders that do not exist offers to create them",
	async (t) => {
		const path = await makeTempDatabasePath();
		const root = dirname(path);
		const app = await openChannelForm(t, path, "working", "Working folders");
		await app.press("n");
		await fill(app, ["WF1", "", `${root}/hq/down`, `${root}/hq/up`]);
		await app.press(keys.ctrlS);
		await app.waitFor("Create the missing folders");
		await app.press("y");
		await app.waitFor("Created ");
		t.true((await stat(`${root}/hq/down`)).isDirectory());
		t.true((await stat(`${root}/hq/up`)).isDirectory());
	},
);
