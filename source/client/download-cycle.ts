import { join } from "node:path";
import type { ProgressUnit, RunStatus } from "../domain/client-state.js";
import { parsePackage } from "../domain/package-format.js";
import type { SessionEvent } from "../domain/session-events.js";
import {
	type ChannelDataStore,
	type DownloadProgress,
	emptyGroupProgress,
	type GroupProgress,
} from "./channel-store.js";
import { applyNext, type Commit, passOver } from "./download-next.js";
import {
	absentPackage,
	downloadSessionId,
	type GroupFolder,
	listGroupFolder,
	type Waiting,
} from "./download-order.js";
import type { Logger } from "./logger.js";
import type { SessionLog } from "./session-log.js";
import { readPlainText } from "./shared-files.js";

export type CycleResult = {
	status: RunStatus;
	packages: number;
	rows: number;
	message: string | null;
	/** Download only: the package the data group waits for, or null when it waits for nothing. */
	waiting?: Waiting | null;
};

export type CycleContext = {
	store: ChannelDataStore;
	sessions: SessionLog;
	channelDatabase: string;
	key: Uint8Array;
	now: () => Date;
	log: Logger;
	/** What the run is doing, for the live state: `done` of `total` packages unless `unit` says otherwise. */
	progress: (
		step: string,
		done: number,
		total: number,
		unit?: ProgressUnit,
	) => void;
	/** Aborted when the client is stopping: the cycle ends after the current package. */
	signal: AbortSignal;
};

export type DownloadContext = CycleContext & {
	dataGroup: string;
	/** The data group's folder in the download working folder. */
	folder: string;
	/** Tries per package before it is given up on; 0 tries without limit. */
	tryCount: number;
	fullSyncRequestedAt: string | null;
};

/**
 * Headquarters numbers a group's packages in its folder; when the folder is
 * wiped the numbers start again at 1, below this database's watermark, and
 * every new package would be skipped as already applied. That is reported,
 * never silent: the package at the watermark is not the one applied, or the
 * folder's numbering is behind the watermark.
 */
async function numberingRestarted(
	listed: GroupFolder,
	group: GroupProgress,
): Promise<string | null> {
	if (group.sequence === 0 || listed.packages.size === 0) return null;
	const atWatermark = listed.packages.get(group.sequence);
	const text =
		atWatermark === undefined
			? null
			: await readPlainText(join(listed.folder, atWatermark)).catch(() => null);
	const parsed = text === null ? null : parsePackage(text);
	const replaced =
		parsed?.ok === true &&
		group.appliedChecksum !== undefined &&
		parsed.package.checksum !== group.appliedChecksum;
	if (!replaced && listed.highest >= group.sequence) return null;
	return `the packages in ${listed.folder} are numbered again from 1 (the folder was reset at headquarters?) while this database applied up to ${group.sequence}: new packages are not applied; continue the numbering at headquarters, or use Full data sync`;
}

/**
 * One download run: applies the data group's packages strictly in sequence,
 * each only when the one before it was applied (or skipped by an operator).
 * The next package missing while a later one is there, still arriving,
 * quarantined or failing stops the run there: nothing after it is applied,
 * and the run reports what it waits for. A package is applied, then the
 * watermark moves; the download folder is only read (a package bad for
 * every database moves to quarantine/), never pruned: other databases of the
 * group may still need what is there.
 */
export async function runDownloadCycle(
	context: DownloadContext,
): Promise<CycleResult> {
	const { store, dataGroup } = context;
	let progress = await store.readProgress();
	progress = await serveFullSync(context, progress);
	const group: GroupProgress = {
		...emptyGroupProgress(),
		...progress.groups[dataGroup],
	};
	const save = async () => {
		progress = withGroup(progress, dataGroup, group);
		await store.writeProgress(progress);
	};
	// The package's rows and the moved watermark in one transaction: applied once, or not at all.
	const commit: Commit = async (pkg, applied) => {
		await store.applyPackage(
			pkg.tables,
			pkg.schemas,
			withGroup(progress, dataGroup, applied),
		);
		Object.assign(group, applied);
		progress = withGroup(progress, dataGroup, group);
	};
	await recordAppliedAfterCrash(context, group);

	const listed = await listGroupFolder(context.folder);
	const problems: string[] = [];
	const renumbered = await numberingRestarted(listed, group);
	if (renumbered) problems.push(renumbered);
	let packages = 0;
	let rows = 0;
	let skipped = 0;
	let waiting: Waiting | null = null;
	const total = Math.max(0, listed.highest - group.sequence);
	for (let done = 0; !context.signal.aborted; done += 1) {
		const sequence = group.sequence + 1;
		const skip = group.skips?.[String(sequence)];
		if (skip !== undefined) {
			await passOver(context, group, sequence, skip, listed);
			await save();
			skipped += 1;
			continue;
		}
		const name = listed.packages.get(sequence);
		if (name === undefined) {
			waiting = await absentPackage(listed, sequence);
			break;
		}
		context.progress(`checking ${name}`, done, total);
		const outcome = await applyNext(context, group, sequence, name, {
			save,
			commit,
		});
		if (outcome.waiting !== null) {
			waiting = outcome.waiting;
			break;
		}
		packages += 1;
		rows += outcome.rows;
	}
	if (waiting !== null) problems.push(`waiting: ${waiting.reason}`);
	const status: RunStatus =
		renumbered !== null || waiting?.problem === true
			? "Failed"
			: packages + skipped > 0
				? "Succeeded"
				: "No data";
	return {
		status,
		packages,
		rows,
		message: problems.length > 0 ? problems.join("; ") : null,
		waiting,
	};
}

/**
 * Full data sync: when the channel database's request is newer than the one
 * last served, the group's watermark goes back to 0, so every package still
 * in the folder is applied again from sequence 1 (rows are upserted: nothing
 * is deleted; packages already removed by retention cannot be re-applied).
 */
async function serveFullSync(
	context: DownloadContext,
	progress: DownloadProgress,
): Promise<DownloadProgress> {
	const requested = context.fullSyncRequestedAt;
	if (requested === null) return progress;
	const served = progress.lastFullSyncAt;
	if (served !== null && Date.parse(requested) <= Date.parse(served))
		return progress;
	const before = progress.groups[context.dataGroup] ?? emptyGroupProgress();
	const next: DownloadProgress = {
		...progress,
		lastFullSyncAt: requested,
		groups: {
			...progress.groups,
			[context.dataGroup]: {
				...emptyGroupProgress(),
				generation: before.generation + 1,
			},
		},
	};
	await context.store.writeProgress(next);
	context.log.info(
		`download: full data sync requested at ${requested}: applying every package of ${context.dataGroup} in the folder again`,
	);
	return next;
}

/** A kill after the watermark moved but before "Applied" was written: write it now. */
async function recordAppliedAfterCrash(
	context: DownloadContext,
	group: GroupProgress,
): Promise<void> {
	const id = downloadSessionId(
		context.dataGroup,
		group.sequence,
		group.generation,
	);
	const last = context.sessions.latest(id);
	if (last === undefined || last.status === "Applied") return;
	const at = context.now().toISOString();
	await context.sessions.record({
		...last,
		status: "Applied",
		tries: last.tries + 1,
		error: null,
		finishedAt: group.appliedAt ?? at,
		at,
	} as SessionEvent);
}

function withGroup(
	progress: DownloadProgress,
	dataGroup: string,
	group: GroupProgress,
): DownloadProgress {
	return { ...progress, groups: { ...progress.groups, [dataGroup]: group } };
}
