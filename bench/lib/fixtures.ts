import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	type AsyncServerProfile,
	type ChannelDatabase,
	type Configuration,
	emptyConfiguration,
} from "../../source/domain/configuration.js";
import { configurationBytes } from "../../source/store/configuration-file.js";

export const fixtureSize = { channelDatabases: 10_000, profiles: 200 };

const meta = {
	version: 1,
	modifiedAt: "2026-11-26T08:00:00.000Z",
	modifiedBy: "bench@store",
};

/** Profile n: every 5 to 60 minutes down, twice that up; every tenth on a cron schedule. */
function profile(index: number): AsyncServerProfile {
	const minutes = 5 + (index % 12) * 5;
	return {
		id: `profile-${index}`,
		name: `PROFILE-${String(index).padStart(3, "0")}`,
		description: `Stores of region ${index}`,
		downloadIntervalMinutes: minutes,
		uploadIntervalMinutes: minutes * 2,
		downloadCron: index % 10 === 0 ? "*/15 6-22 * * *" : "",
		uploadCron: "",
		timeZone: index % 10 === 0 ? "Europe/Berlin" : "UTC",
		...meta,
	};
}

function channelDatabase(index: number, profiles: number): ChannelDatabase {
	return {
		id: `channel-db-${index}`,
		name: `STORE-${String(index).padStart(5, "0")}`,
		dataGroupId: "data-group-1",
		userName: `sync-${index}`,
		// Nothing decrypts it in the TUI; the shape is what the store checks.
		passwordSecret: `aes-256-gcm:${index.toString(16).padStart(24, "0")}:bench`,
		profileId: `profile-${index % profiles}`,
		channels: [`S${String(index).padStart(5, "0")}`],
		serverName: "sql.example",
		databaseName: `Channel${index}`,
		spreadLoad: index % 2 === 0,
		...meta,
	};
}

/**
 * The benchmark's store: `channelDatabases` channel databases spread over
 * `profiles` profiles, one data group and one set of working folders, in
 * the current schema, written directly (saving 10,000 records through the
 * store would rewrite the file 10,000 times).
 */
export function largeConfiguration(
	size = fixtureSize,
	workingFolder = "/srv/cdx",
): Configuration {
	return {
		...emptyConfiguration(),
		profiles: Array.from({ length: size.profiles }, (_, index) =>
			profile(index),
		),
		workingFolders: [
			{
				id: "working-folders-1",
				name: "HQ",
				description: "Headquarters share",
				downloadPath: join(workingFolder, "download"),
				uploadPath: join(workingFolder, "upload"),
				...meta,
			},
		],
		dataGroups: [
			{
				id: "data-group-1",
				name: "STORES",
				description: "All stores",
				schema: "AX 2012 R3",
				workingFoldersId: "working-folders-1",
				...meta,
			},
		],
		channelDatabases: Array.from(
			{ length: size.channelDatabases },
			(_, index) => channelDatabase(index, size.profiles),
		),
	};
}

const folders: string[] = [];

/** A fresh temporary folder, removed by removeTempFolders. */
export async function tempFolder(name: string): Promise<string> {
	const folder = await mkdtemp(join(tmpdir(), `cdx-bench-${name}-`));
	folders.push(folder);
	return folder;
}

export async function removeTempFolders(): Promise<void> {
	for (const folder of folders.splice(0))
		await rm(folder, { recursive: true, force: true });
}

/** db.json (mode 0600, as the store writes it) with the large configuration, in a fresh folder. */
export async function writeLargeDatabase(
	name: string,
	size = fixtureSize,
): Promise<string> {
	const folder = await tempFolder(name);
	await mkdir(join(folder, "state"), { recursive: true, mode: 0o700 });
	const path = join(folder, "db.json");
	// As the store writes it, so reading it costs what it costs after any save.
	await writeFile(path, configurationBytes(largeConfiguration(size)), {
		mode: 0o600,
	});
	return path;
}
