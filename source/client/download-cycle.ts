import { join } from "node:path";
import type { RunStatus, SessionEvent } from "../domain/client-state.js";
import {
	downloadPackageProblem,
	type PackageProblem,
} from "../domain/package-check.js";
import {
	type DataPackage,
	parsePackage,
	sequenceOfFileName,
	totalRows,
} from "../domain/package-format.js";
import {
	type ChannelDataStore,
	type DownloadProgress,
	emptyGroupProgress,
	type GroupProgress,
} from "./channel-store.js";
import { isMissing, listCompleteFiles, readTextIfPresent } from "./files.js";
import type { Logger } from "./logger.js";
import { quarantinePackage } from "./quarantine.js";
import type { SessionLog } from "./session-log.js";

export type CycleResult = {
	status: RunStatus;
	packages: number;
	rows: number;
	message: string | null;
};

export type CycleContext = {
	store: ChannelDataStore;
	sessions: SessionLog;
	channelDatabase: string;
	key: Uint8Array;
	now: () => Date;
	log: Logger;
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

type Candidate = { name: string; sequence: number };

/** A download session is one package of one data group in one full-sync generation. */
export function downloadSessionId(
	dataGroup: string,
	sequence: number,
	generation: number,
): string {
	return `download:${dataGroup}:${sequence}:${generation}`;
}

/**
 * One download run: applies the data group's new packages in sequence order.
 * A package is applied (rows upserted), then the watermark moves; a crash in
 * between applies it again, to the same result. A package that fails to
 * apply stops the run, so later packages wait behind it; one that must not
 * be applied at all is set aside in quarantine and the run goes on.
 */
/**
 * Headquarters numbers a group's packages in its folder; when the folder is
 * wiped the numbers start again at 1, below this database's watermark, and
 * every new package would be skipped as already applied. That is reported,
 * never silent: the package at the watermark is not the one applied, or the
 * folder's numbering is behind the watermark.
 */
async function numberingRestarted(
	folder: string,
	group: GroupProgress,
): Promise<string | null> {
	if (group.sequence === 0) return null;
	const names = await listCompleteFiles(folder);
	const numbers = names
		.map(sequenceOfFileName)
		.filter((sequence) => sequence !== null);
	if (numbers.length === 0) return null;
	const atWatermark = names.find(
		(name) => sequenceOfFileName(name) === group.sequence,
	);
	const text = atWatermark
		? await readTextIfPresent(join(folder, atWatermark))
		: null;
	const parsed = text === null ? null : parsePackage(text);
	const replaced =
		parsed?.ok === true &&
		group.appliedChecksum !== undefined &&
		parsed.package.checksum !== group.appliedChecksum;
	if (!replaced && Math.max(...numbers) >= group.sequence) return null;
	return `the packages in ${folder} are numbered again from 1 (the folder was reset at headquarters?) while this database applied up to ${group.sequence}: new packages are not applied; continue the numbering at headquarters, or use Full data sync`;
}

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
		progress = {
			...progress,
			groups: { ...progress.groups, [dataGroup]: group },
		};
		await store.writeProgress(progress);
	};
	await recordAppliedAfterCrash(context, group);

	const candidates = (await listCompleteFiles(context.folder))
		.map((name) => ({ name, sequence: sequenceOfFileName(name) }))
		.filter(
			(file): file is Candidate =>
				file.sequence !== null && file.sequence > group.sequence,
		)
		.sort((a, b) => a.sequence - b.sequence);
	let packages = 0;
	let rows = 0;
	const problems: string[] = [];
	const renumbered = await numberingRestarted(context.folder, group);
	if (renumbered) problems.push(renumbered);
	for (const [index, { name, sequence }] of candidates.entries()) {
		if (context.signal.aborted) break;
		context.progress(`checking ${name}`, index, candidates.length);
		const file = join(context.folder, name);
		const text = await readTextIfPresent(file);
		if (text === null) continue;
		const parsed = parsePackage(text);
		const pkg = parsed.ok ? parsed.package : null;
		if (pkg !== null && group.setAside[name] === pkg.checksum) continue;
		const previous = pkg === null ? undefined : group.attempts[name];
		const attempts =
			previous?.checksum === pkg?.checksum ? previous : undefined;
		const tries = attempts?.tries ?? 0;
		if (attempts && context.tryCount > 0 && tries >= context.tryCount) {
			problems.push(
				`waiting behind ${name}: Apply failed ${tries} times (${attempts.lastError}); replace or remove that package to go on`,
			);
			break;
		}
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
			if (problem.scope === "database" && pkg !== null) {
				group.setAside[name] = pkg.checksum;
				await save();
			}
			const message = `${name}: ${problem.reason}; ${where}`;
			await record({
				status: "Download failed",
				error: message,
				finishedAt: context.now().toISOString(),
			});
			context.log.error(`download: quarantined ${message}`);
			problems.push(message);
			continue;
		}
		const verified = pkg as DataPackage;

		context.progress(`applying ${name}`, index, candidates.length);
		try {
			await store.applyTables(verified.tables);
		} catch (error) {
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
			context.log.error(`download: ${name} Apply failed: ${message}`);
			problems.push(`${name}: ${message}`);
			break;
		}
		group.sequence = sequence;
		group.appliedChecksum = verified.checksum;
		group.appliedAt = context.now().toISOString();
		delete group.attempts[name];
		group.setAside = Object.fromEntries(
			Object.entries(group.setAside).filter(
				([other]) => (sequenceOfFileName(other) ?? 0) > sequence,
			),
		);
		await save();
		await record({
			status: "Applied",
			tries: tries + 1,
			finishedAt: context.now().toISOString(),
		});
		context.log.info(
			`download: applied ${name} (sequence ${sequence}, ${session.rows} rows)`,
		);
		packages += 1;
		rows += session.rows;
	}
	const status: RunStatus =
		problems.length > 0 ? "Failed" : packages > 0 ? "Succeeded" : "No data";
	return {
		status,
		packages,
		rows,
		message: problems.length > 0 ? problems.join("; ") : null,
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
		throw error;
	}
}
