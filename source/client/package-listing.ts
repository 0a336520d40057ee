import { join } from "node:path";
import type { Configuration } from "../domain/configuration.js";
import { groupFolders, groupMembers } from "../domain/data-group.js";
import {
	parsePackage,
	sequenceOfFileName,
	tablesProblem,
	totalRows,
} from "../domain/package-format.js";
import { parseSessionLog } from "../domain/session-events.js";
import {
	clientPaths,
	downloadGroupFolder,
	uploadDatabaseFolder,
} from "./client-paths.js";
import { listCompleteFiles } from "./files.js";
import { readPlainText } from "./shared-files.js";

export type ListedPackage = {
	kind: "download" | "upload";
	/** The data group (download) or the channel database (upload) whose folder holds it. */
	owner: string;
	sequence: number;
	createdAt: string | null;
	rows: number | null;
	/** Per channel database: its session status for this package, "Available" when none yet. */
	state: Record<string, string>;
	/** Set for a package in quarantine: why it was set aside. */
	quarantined: string | null;
	file: string;
};

/**
 * Every package in the working folders of the configuration, with what
 * each channel database did with it (from the session logs in state/).
 */
export async function listPackages(
	databasePath: string,
	configuration: Configuration,
): Promise<ListedPackage[]> {
	const statusByDatabase = new Map<string, Map<string, string>>();
	for (const database of configuration.channelDatabases) {
		const text = await readPlainText(
			clientPaths(databasePath, database).sessionLog,
		);
		const statuses = new Map<string, string>();
		for (const session of parseSessionLog(text ?? "").sessions)
			statuses.set(session.package, session.status);
		statusByDatabase.set(database.name, statuses);
	}
	const listed: ListedPackage[] = [];
	for (const group of configuration.dataGroups) {
		const folders = groupFolders(configuration, group);
		if (!folders) continue;
		const members = groupMembers(configuration, group.id);
		const folder = downloadGroupFolder(folders.downloadPath, group.name);
		listed.push(
			...(await packagesIn(
				folder,
				"download",
				group.name,
				members.map((member) => member.name),
				statusByDatabase,
			)),
		);
		for (const member of members)
			listed.push(
				...(await packagesIn(
					uploadDatabaseFolder(folders.uploadPath, member.name),
					"upload",
					member.name,
					[member.name],
					statusByDatabase,
				)),
			);
	}
	return listed;
}

async function packagesIn(
	folder: string,
	kind: ListedPackage["kind"],
	owner: string,
	databases: string[],
	statusByDatabase: Map<string, Map<string, string>>,
): Promise<ListedPackage[]> {
	const listed: ListedPackage[] = [];
	const quarantine = join(folder, "quarantine");
	const places = [
		...(await listCompleteFiles(folder)).map((name) => ({
			name,
			file: join(folder, name),
			quarantined: false,
		})),
		...(await listCompleteFiles(quarantine))
			.filter((name) => !name.endsWith(".reason.txt"))
			.map((name) => ({
				name,
				file: join(quarantine, name),
				quarantined: true,
			})),
	];
	for (const place of places) {
		// A copy set aside for one database is named "<database>.<package file>".
		const originalName = place.name.replace(/^[^.]+\.(?=\d{10}\.)/, "");
		const sequence = sequenceOfFileName(originalName);
		if (sequence === null) continue;
		const text = await readPlainText(place.file).catch(() => null);
		if (text === null) continue;
		const parsed = parsePackage(text);
		const state: Record<string, string> = {};
		for (const database of databases) {
			const original = join(folder, originalName);
			state[database] =
				statusByDatabase.get(database)?.get(original) ?? "Available";
		}
		listed.push({
			kind,
			owner,
			sequence,
			createdAt: parsed.ok ? parsed.package.createdAt : null,
			rows:
				parsed.ok && tablesProblem(parsed.package.tables) === null
					? totalRows(parsed.package.tables)
					: null,
			state,
			quarantined: place.quarantined
				? ((
						await readPlainText(`${place.file}.reason.txt`).catch(() => null)
					)?.trim() ?? "no reason recorded")
				: null,
			file: place.file,
		});
	}
	return listed;
}
