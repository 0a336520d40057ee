import { dirname, join } from "node:path";
import type { ChannelDatabase } from "../domain/configuration.js";
import type { Direction } from "../domain/profile-schedule.js";
import { stateDirectory } from "../store/paths.js";

/** Where one channel database's client keeps its files (see the README's "Files" section). */
export type ClientPaths = {
	/** What the client's files are named by. */
	fileKey: string;
	stateFolder: string;
	/** Live state, rewritten atomically by the running client. */
	stateFile: string;
	/** Session history, one JSON event per line. */
	sessionLog: string;
	/** Held while a client runs: one client per channel database. */
	lockFile: string;
	/** The channel data store: tables/, outbox/, applied.json, upload.json. */
	dataFolder: string;
};

export function clientPaths(
	databasePath: string,
	database: Pick<ChannelDatabase, "id" | "name">,
	dataFolder?: string,
): ClientPaths {
	const stateFolder = stateDirectory(databasePath);
	const fileKey = database.name;
	return {
		fileKey,
		stateFolder,
		stateFile: join(stateFolder, `${fileKey}.json`),
		sessionLog: join(stateFolder, `${fileKey}.sessions.jsonl`),
		lockFile: join(stateFolder, `${fileKey}.lock`),
		dataFolder: dataFolder ?? join(dirname(databasePath), "channels", fileKey),
	};
}

/** An operator's "run now" request: a file the running client deletes when it starts the run. */
export function runNowRequestFile(
	stateFolder: string,
	channelDatabase: string,
	direction: Direction,
): string {
	return join(stateFolder, `${channelDatabase}.run-now.${direction}`);
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
