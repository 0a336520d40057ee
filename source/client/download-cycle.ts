import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RunStatus, SessionEvent } from "../domain/client-state.js";
import {
	downloadPackageProblem,
	type PackageProblem,
} from "../domain/package-check.js";
import {
	type DataPackage,
	packageFileName,
	parsePackage,
	sequenceOfFileName,
	totalRows,
} from "../domain/package-format.js";
import { isStoreUnavailable } from "./channel-data/engine.js";
import {
	type ChannelDataStore,
	type DownloadProgress,
	emptyGroupProgress,
	type GroupProgress,
	type PlannedSkip,
} from "./channel-store.js";
import {
	absentPackage,
	type GroupFolder,
	listGroupFolder,
	type Waiting,
} from "./download-order.js";
import { isMissing } from "./files.js";
import { quarantinePackage } from "./quarantine.js";
import type { SessionLog } from "./session-log.js";
import { readPlainFile, readPlainText } from "./shared-files.js";

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
	log: (message: string) => void;
	/** What the run is doing, for the live state. */
	progress: (step: string, done: number, total: number) => void;
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

/** A download session is one package of one data group in one full-sync generation. */
export function downloadSessionId(
	dataGroup: string,
	sequence: number,
	generation: number,
): string {
	return `download:${dataGroup}:${sequence}:${generation}`;
}

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

type NextOutcome = { waiting: null; rows: number } | { waiting: Waiting };

type Commit = (pkg: DataPackage, applied: GroupProgress) => Promise<void>;

function withGroup(
	progress: DownloadProgress,
	dataGroup: string,
	group: GroupProgress,
): DownloadProgress {
	return { ...progress, groups: { ...progress.groups, [dataGroup]: group } };
}

/** Checks and applies package `sequence` (the watermark's next); what it waits for when it cannot. */
async function applyNext(
	context: DownloadContext,
	group: GroupProgress,
	sequence: number,
	name: string,
	{ save, commit }: { save: () => Promise<void>; commit: Commit },
): Promise<NextOutcome> {
	const { dataGroup } = context;
	const file = join(context.folder, name);
	const wait = (reason: string): NextOutcome => ({
		waiting: {
			sequence,
			reason: `package ${sequence} ${reason}`,
			problem: true,
		},
	});
	let bytes: Buffer | null;
	try {
		bytes = await readPlainFile(file);
	} catch (error) {
		return wait(`refused: ${(error as Error).message}`);
	}
	if (bytes === null) return wait("not in the folder any more");
	const fileChecksum = createHash("sha256").update(bytes).digest("hex");
	const remembered = group.setAside[name];
	if (remembered?.fileChecksum === fileChecksum)
		return wait(`quarantined: ${remembered.reason}`);
	const parsed = parsePackage(bytes.toString("utf8"));
	const pkg = parsed.ok ? parsed.package : null;
	const previous = pkg === null ? undefined : group.attempts[name];
	const attempts = previous?.checksum === pkg?.checksum ? previous : undefined;
	const tries = attempts?.tries ?? 0;
	if (attempts && context.tryCount > 0 && tries >= context.tryCount)
		return wait(
			`failed to apply ${tries} times (${attempts.lastError}); send it again, or skip it with cdx package skip`,
		);
	const session = {
		id: downloadSessionId(dataGroup, sequence, group.generation),
		direction: "download" as const,
		package: file,
		sequence,
		tries,
		rows: pkg === null ? 0 : totalRows(pkg.tables),
		startedAt: attempts?.startedAt ?? context.now().toISOString(),
	};
	const record = (
		fields: Partial<SessionEvent> & Pick<SessionEvent, "status">,
	) =>
		context.sessions.record({
			...session,
			finishedAt: null,
			error: null,
			at: context.now().toISOString(),
			...fields,
		} as SessionEvent);
	await record({ status: "Requested" });

	const problem: PackageProblem | null =
		pkg === null
			? {
					scope: "package",
					reason: `unreadable: ${parsed.ok ? "" : parsed.problem}`,
				}
			: downloadPackageProblem(pkg, {
					dataGroup,
					channelDatabase: context.channelDatabase,
					key: context.key,
					lastApplied: group.sequence,
					fileSequence: sequence,
				});
	if (problem !== null) {
		const where = await setAside(context, file, problem);
		if (problem.scope === "database") {
			group.setAside[name] = { fileChecksum, reason: problem.reason };
			await save();
		}
		const message = `${name}: ${problem.reason}; ${where}`;
		await record({
			status: "Download failed",
			error: message,
			finishedAt: context.now().toISOString(),
		});
		context.log(`download: quarantined ${message}`);
		return wait(
			where.startsWith("not set aside")
				? `refused: ${problem.reason}; ${where}`
				: `quarantined: ${problem.reason}`,
		);
	}
	const verified = pkg as DataPackage;

	context.progress(`applying ${name}`, 0, 1);
	const applied: GroupProgress = {
		...group,
		attempts: { ...group.attempts },
		appliedChecksum: verified.checksum,
	};
	delete applied.attempts[name];
	moveWatermark(applied, sequence, context.now());
	try {
		await commit(verified, applied);
	} catch (error) {
		// The database did not answer: the run fails with the reason, and the package keeps its tries.
		if (isStoreUnavailable(error)) throw error;
		const reason = (error as Error).message;
		const tried = tries + 1;
		group.attempts[name] = {
			checksum: verified.checksum,
			tries: tried,
			lastError: reason,
			startedAt: session.startedAt,
		};
		await save();
		const gaveUp = context.tryCount > 0 && tried >= context.tryCount;
		const message = gaveUp
			? `${reason} (gave up after ${tried} tries; later packages wait behind it)`
			: `${reason} (try ${tried} of ${context.tryCount === 0 ? "unlimited" : context.tryCount}; tried again next run)`;
		await record({
			status: "Apply failed",
			tries: tried,
			error: message,
			finishedAt: gaveUp ? context.now().toISOString() : null,
		});
		context.log(`download: ${name} Apply failed: ${message}`);
		return wait(`failed to apply: ${message}`);
	}
	await record({
		status: "Applied",
		tries: tries + 1,
		finishedAt: context.now().toISOString(),
	});
	context.log(
		`download: applied ${name} (sequence ${sequence}, ${session.rows} rows)`,
	);
	return { waiting: null, rows: session.rows };
}

/** The watermark moves to `sequence`: what was remembered about packages up to it is done with. */
function moveWatermark(
	group: GroupProgress,
	sequence: number,
	now: Date,
): void {
	group.sequence = sequence;
	group.appliedAt = now.toISOString();
	group.setAside = Object.fromEntries(
		Object.entries(group.setAside).filter(
			([other]) => (sequenceOfFileName(other) ?? 0) > sequence,
		),
	);
	if (group.skips !== undefined)
		group.skips = Object.fromEntries(
			Object.entries(group.skips).filter(([other]) => Number(other) > sequence),
		);
}

/**
 * An operator's skip: the watermark passes over `sequence` without applying
 * it, and the download session says so, who asked and why.
 */
async function passOver(
	context: DownloadContext,
	group: GroupProgress,
	sequence: number,
	skip: PlannedSkip,
	listed: GroupFolder,
): Promise<void> {
	const id = downloadSessionId(context.dataGroup, sequence, group.generation);
	const last = context.sessions.latest(id);
	const name = listed.packages.get(sequence) ?? packageFileName(sequence);
	const at = context.now().toISOString();
	const message = `skipped by ${skip.requestedBy} at ${skip.requestedAt}: ${skip.reason}; its rows were not applied`;
	moveWatermark(group, sequence, context.now());
	delete group.attempts[name];
	await context.sessions.record({
		id,
		direction: "download",
		package: join(context.folder, name),
		sequence,
		tries: last?.tries ?? 0,
		rows: last?.rows ?? 0,
		startedAt: last?.startedAt ?? at,
		finishedAt: at,
		error: message,
		at,
		status: "Canceled",
	});
	context.log(`download: package ${sequence} ${message}`);
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
	context.log(
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

async function setAside(
	context: DownloadContext,
	file: string,
	problem: PackageProblem,
): Promise<string> {
	try {
		const target = await quarantinePackage(
			file,
			problem,
			context.channelDatabase,
			context.now(),
		);
		return `set aside as ${target}`;
	} catch (error) {
		// Another database of the group moved it first.
		if (isMissing(error))
			return "already set aside by another channel database of the group";
		return `not set aside (${(error as Error).message})`;
	}
}
