import { readFile } from "node:fs/promises";
import test from "ava";
import { currentSchemaVersion } from "../../source/domain/configuration.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { readDatabase, writeTempDatabase } from "../helpers/database.js";

const meta = {
	version: 3,
	modifiedAt: "2025-01-02T03:04:05.000Z",
	modifiedBy: "old@store",
};

// A database as version 1 wrote it: profiles only.
const version1 = {
	schemaVersion: 1,
	profiles: [
		{
			id: "p1",
			name: "STORES",
			description: "Most stores",
			downloadIntervalMinutes: 15,
			uploadIntervalMinutes: 30,
			...meta,
		},
	],
};

test("a version 1 file opens upgraded to the current schema, keeping every field, with the old file kept beside it", async (t) => {
	const text = `${JSON.stringify(version1, null, 2)}\n`;
	const path = await writeTempDatabase(text);
	const store = await ConfigurationStore.open(path);
	const upgraded = await readDatabase(path);
	t.is(upgraded.schemaVersion, currentSchemaVersion);
	t.deepEqual(upgraded.profiles[0], {
		...version1.profiles[0],
		downloadCron: "",
		uploadCron: "",
		timeZone: "UTC",
	});
	t.deepEqual(
		[upgraded.workingFolders, upgraded.dataGroups, upgraded.channelDatabases],
		[[], [], []],
	);
	t.is(upgraded.parameters.tryCount, 3);
	t.is(await readFile(`${path}.schema-1.bak`, "utf8"), text);
	t.is(store.getSnapshot().configuration.profiles[0]?.name, "STORES");
});

test("a version 2 file gains load spreading (off) on its channel databases and cron fields on its profiles", async (t) => {
	const version2 = {
		schemaVersion: 2,
		profiles: version1.profiles,
		workingFolders: [
			{
				id: "w",
				name: "WF",
				description: "",
				downloadPath: "/d",
				uploadPath: "/u",
				...meta,
			},
		],
		dataGroups: [
			{
				id: "g",
				name: "DG",
				description: "",
				schema: "AX 2012 R3",
				workingFoldersId: "w",
				...meta,
			},
		],
		channelDatabases: [
			{
				id: "c",
				name: "STORE-1",
				dataGroupId: "g",
				userName: "u",
				passwordSecret: "aes-256-gcm:abc",
				profileId: "p1",
				channels: ["S1"],
				serverName: "srv",
				databaseName: "db",
				fullSyncRequestedAt: "2025-01-01T00:00:00.000Z",
				...meta,
			},
		],
		parameters: {
			id: "parameters",
			tryCount: 0,
			keepDownloadSessionsDays: 9,
			keepUploadSessionsDays: 8,
			keepPackagesDays: 7,
			...meta,
		},
	};
	const path = await writeTempDatabase(JSON.stringify(version2));
	await ConfigurationStore.open(path);
	const upgraded = await readDatabase(path);
	t.deepEqual(upgraded.channelDatabases[0], {
		...version2.channelDatabases[0],
		spreadLoad: false,
	});
	t.deepEqual(upgraded.parameters, version2.parameters);
	t.deepEqual(upgraded.workingFolders, version2.workingFolders);
	t.deepEqual(upgraded.dataGroups, version2.dataGroups);
	t.like(upgraded.profiles[0], {
		downloadCron: "",
		timeZone: "UTC",
		description: "Most stores",
	});
});

test("a file of the current schema is opened without being rewritten", async (t) => {
	const path = await writeTempDatabase(JSON.stringify(version1));
	await ConfigurationStore.open(path);
	const once = await readFile(path, "utf8");
	await ConfigurationStore.open(path);
	t.is(await readFile(path, "utf8"), once);
});
