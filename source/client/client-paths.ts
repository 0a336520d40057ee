import { existsSync } from "node:fs";
import { rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ChannelDatabase } from "../domain/configuration.js";
import { stateDirectory } from "../store/paths.js";

/** Where one channel database's client keeps its files (see the README's "Files" section). */
export type ClientPaths = {
	/** What the client's files are named by: the channel database's record id. */
	fileKey: string;
	stateFolder: string;
	/** Live state, rewritten atomically by the running client. */
	stateFile: string;
	/** Session history, one JSON event per line. */
	sessionLog: string;
	/** Held while a client runs: one client per channel database. */
	lockFile: string;
	/** The channel data store: channel-database.sqlite and outbox/. */
	dataFolder: string;
};

export function clientPaths(
	databasePath: string,
	database: Pick<ChannelDatabase, "id" | "name">,
	dataFolder?: string,
): ClientPaths {
	const stateFolder = stateDirectory(databasePath);
	// The record id, not the name: a rename must neither fork a second store nor let a second client in.
	const fileKey = database.id;
	return {
		fileKey,
		stateFolder,
		stateFile: join(stateFolder, `${fileKey}.json`),
		sessionLog: join(stateFolder, `${fileKey}.sessions.jsonl`),
		lockFile: join(stateFolder, `${fileKey}.lock`),
		dataFolder: dataFolder ?? join(dirname(databasePath), "channels", fileKey),
	};
}

/** A data group's folder in the download working folder. */
export function downloadGroupFolder(
	downloadPath: string,
	dataGroup: string,
): string {
	return join(downloadPath, dataGroup);
}

/** A channel database's folder in the upload working folder. */
export function uploadDatabaseFolder(
	uploadPath: string,
	channelDatabase: string,
): string {
	return join(uploadPath, channelDatabase);
}

/**
 * Files of this database from before they were named by record id (named
 * by the database's name then), moved to their new names when those do not
 * exist yet. Called by the client holding the lock.
 */
export async function adoptFilesNamedByName(
	databasePath: string,
	database: Pick<ChannelDatabase, "id" | "name">,
	paths: ClientPaths,
	dataFolderGiven: boolean,
): Promise<string[]> {
	const old = clientPaths(databasePath, {
		id: database.name,
		name: database.name,
	});
	const moves: [string, string][] = [
		[old.stateFile, paths.stateFile],
		[old.sessionLog, paths.sessionLog],
		// A data folder given with --data-folder is the operator's: never moved into.
		...(dataFolderGiven
			? []
			: [[old.dataFolder, paths.dataFolder] as [string, string]]),
	];
	const moved: string[] = [];
	for (const [from, to] of moves) {
		if (from === to || !existsSync(from) || existsSync(to)) continue;
		await rename(from, to);
		moved.push(`${from} → ${to}`);
	}
	return moved;
}
