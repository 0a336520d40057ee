import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { SchedulerParametersFields } from "../domain/configuration.js";
import { sequenceOfFileName } from "../domain/package-format.js";
import type { ChannelDataStore } from "./channel-store.js";
import { isMissing, listCompleteFiles } from "./files.js";
import type { SessionLog } from "./session-log.js";
import { listFolder, removePlainFile } from "./shared-files.js";

const dayMs = 24 * 60 * 60 * 1000;

export type RetentionContext = {
	parameters: SchedulerParametersFields;
	store: ChannelDataStore;
	sessions: SessionLog;
	dataGroup: string;
	/** This database's folder in the upload working folder. */
	uploadFolder: string;
	now: Date;
};

export type Pruned = { sessions: number; packages: number; sentFiles: number };

/**
 * Retention from the Retail scheduler parameters: session history older
 * than its days, and this database's own files older than "days to keep
 * data packages": upload packages whose upload completed, and the outbox
 * files they were made from. The download folder is shared by the whole
 * data group and is never pruned here (see cdx package prune).
 */
export async function pruneOldData(context: RetentionContext): Promise<Pruned> {
	const { parameters, now } = context;
	const before = (days: number) => new Date(now.getTime() - days * dayMs);
	const sessions = await context.sessions.prune({
		download: before(parameters.keepDownloadSessionsDays),
		upload: before(parameters.keepUploadSessionsDays),
	});
	const packagesBefore = before(parameters.keepPackagesDays).getTime();
	const uploaded = (await context.store.readUploadJournal()).lastSequence;
	let packages = 0;
	for (const entry of await listFolder(context.uploadFolder)) {
		const sequence = sequenceOfFileName(entry.name);
		if (entry.kind !== "file" || sequence === null || sequence > uploaded)
			continue;
		if (
			await removeIfOlder(
				join(context.uploadFolder, entry.name),
				packagesBefore,
			)
		)
			packages += 1;
	}
	let sentFiles = 0;
	for (const name of await listCompleteFiles(context.store.sentFolder)) {
		if (
			await removeIfOlder(join(context.store.sentFolder, name), packagesBefore)
		)
			sentFiles += 1;
	}
	return { sessions, packages, sentFiles };
}

async function removeIfOlder(file: string, beforeMs: number): Promise<boolean> {
	try {
		const { mtimeMs } = await lstat(file);
		if (mtimeMs >= beforeMs) return false;
		return await removePlainFile(file);
	} catch (error) {
		if (isMissing(error)) return false;
		throw error;
	}
}
