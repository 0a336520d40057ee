import { stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { SchedulerParametersFields } from "../domain/configuration.js";
import { sequenceOfFileName } from "../domain/package-format.js";
import type { ChannelDataStore } from "./channel-store.js";
import { isMissing, listCompleteFiles } from "./files.js";
import type { SessionLog } from "./session-log.js";

const dayMs = 24 * 60 * 60 * 1000;

export type RetentionContext = {
	parameters: SchedulerParametersFields;
	store: ChannelDataStore;
	sessions: SessionLog;
	dataGroup: string;
	/** The data group's folder in the download working folder. */
	downloadFolder: string;
	/** This database's folder in the upload working folder. */
	uploadFolder: string;
	now: Date;
};

export type Pruned = { sessions: number; packages: number; sentFiles: number };

/**
 * Retention from the Retail scheduler parameters: session history older
 * than its days, and data packages older than "days to keep data packages":
 * only download packages this database has applied, and upload packages
 * whose upload completed (and the outbox files they were made from).
 */
export async function pruneOldData(context: RetentionContext): Promise<Pruned> {
	const { parameters, now } = context;
	const before = (days: number) => new Date(now.getTime() - days * dayMs);
	const sessions = await context.sessions.prune({
		download: before(parameters.keepDownloadSessionsDays),
		upload: before(parameters.keepUploadSessionsDays),
	});
	const packagesBefore = before(parameters.keepPackagesDays).getTime();
	const applied =
		(await context.store.readProgress()).groups[context.dataGroup]?.sequence ??
		0;
	const uploaded = (await context.store.readUploadJournal()).lastSequence;
	let packages = 0;
	for (const [folder, done] of [
		[context.downloadFolder, applied],
		[context.uploadFolder, uploaded],
	] as const) {
		for (const name of await listCompleteFiles(folder)) {
			const sequence = sequenceOfFileName(name);
			if (sequence === null || sequence > done) continue;
			if (await removeIfOlder(join(folder, name), packagesBefore))
				packages += 1;
		}
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
		const { mtimeMs } = await stat(file);
		if (mtimeMs >= beforeMs) return false;
		await unlink(file);
		return true;
	} catch (error) {
		if (isMissing(error)) return false;
		throw error;
	}
}
