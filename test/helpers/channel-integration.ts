import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import { profileKind } from "../../source/domain/profile.js";
import { describeRefusal } from "../../source/domain/record-changes.js";
import type { Draft, RecordKind } from "../../source/domain/record-kind.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { makeShareBesideDatabase } from "./database.js";

/** The password every channel database of makeChannelIntegration has. */
export const channelPassword = "Pa55 w0rd-Secret";

export type ChannelIntegration = {
	/** The folder that holds db.json, secret.key and the working folders. */
	root: string;
	db: string;
	downloadPath: string;
	uploadPath: string;
};

async function save<Fields extends Record<string, unknown>, Input>(
	store: ConfigurationStore,
	kind: RecordKind<Fields, Input>,
	draft: Draft,
): Promise<void> {
	const outcome = await store.save(kind, { ...kind.emptyDraft(), ...draft });
	if (!outcome.ok)
		throw new Error(`fixture refused: ${describeRefusal(outcome)}`);
}

/**
 * A database set up as an operator would, through the store: working
 * folders MAIN (both folders exist), channel data group STORES, profile
 * STORE-DEFAULT (15/30 minutes) and `channelDatabases` channel databases
 * STORE-1, STORE-2, … with user names sync-1, sync-2, …, each in STORES,
 * using STORE-DEFAULT, with channel C-n and the password channelPassword.
 */
export async function makeChannelIntegration(
	options: { channelDatabases?: number } = {},
): Promise<ChannelIntegration> {
	const { root, db, downloadPath, uploadPath } =
		await makeShareBesideDatabase();
	const store = await ConfigurationStore.open(db, { author: "tester@store" });
	await save(store, workingFoldersKind, {
		name: "MAIN",
		description: "Headquarters share",
		downloadPath,
		uploadPath,
	});
	await save(store, dataGroupKind, {
		name: "STORES",
		description: "All stores",
		workingFolders: "MAIN",
	});
	await save(store, profileKind, {
		name: "STORE-DEFAULT",
		description: "Stores",
		downloadIntervalMinutes: "15",
		uploadIntervalMinutes: "30",
	});
	for (let index = 1; index <= (options.channelDatabases ?? 1); index += 1) {
		await save(store, channelDatabaseKind, {
			name: `STORE-${index}`,
			dataGroup: "STORES",
			userName: `sync-${index}`,
			password: channelPassword,
			profile: "STORE-DEFAULT",
			channels: `C-${index}`,
			serverName: "sql.example",
			databaseName: `Channel${index}`,
		});
	}
	return { root, db, downloadPath, uploadPath };
}
