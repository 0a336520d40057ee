import { rm } from "node:fs/promises";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { decryptSecret, secretKeyPath } from "../../source/store/secrets.js";
import { runCdxAsync } from "./cdx.js";
import {
	makeTempDatabasePath,
	readDatabase,
	seedChannelIntegration,
} from "./database.js";

/**
 * A database (seedChannelIntegration) with channel databases STORE-1 … STORE-`count` and no
 * secret.key yet, as before a first password.
 */
export async function databaseWithoutKey(
	path?: string,
	count = 1,
): Promise<string> {
	const db = path ?? (await makeTempDatabasePath());
	const store = await ConfigurationStore.open(db);
	await seedChannelIntegration(store);
	for (let index = 2; index <= count; index += 1) {
		const saved = await store.save(channelDatabaseKind, {
			...channelDatabaseKind.emptyDraft(),
			name: `STORE-${index}`,
			dataGroup: "DG1",
			userName: `user${index}`,
			password: "seed",
			profile: "P1",
			channels: "S0001",
		});
		if (!saved.ok) throw new Error(`seed STORE-${index} refused`);
	}
	await rm(secretKeyPath(db));
	return db;
}

/** `cdx channel-db set NAME` with the password in $CDX_PASSWORD. */
export function setPassword(db: string, password: string, name = "STORE-1") {
	return runCdxAsync(["channel-db", "set", name, "--db", db], {
		env: { CDX_PASSWORD: password },
	});
}

/** The password db.json holds for channel database `name`, decrypted with its secret.key. */
export async function storedPassword(
	db: string,
	name = "STORE-1",
): Promise<string> {
	const database = (await readDatabase(db)).channelDatabases.find(
		(candidate) => candidate.name === name,
	);
	return decryptSecret(db, database?.passwordSecret ?? "");
}
