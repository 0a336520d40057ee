import { createHash } from "node:crypto";
import { join } from "node:path";
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
import type { SessionEvent } from "../domain/session-events.js";
import { countOf } from "../domain/text.js";
import { isStoreUnavailable } from "./channel-data/engine.js";
import type { GroupProgress, PlannedSkip } from "./channel-store.js";
import type { DownloadContext } from "./download-cycle.js";
import {
	downloadSessionId,
	type GroupFolder,
	type Waiting,
} from "./download-order.js";
import { isMissing } from "./files.js";
import { quarantinePackage } from "./quarantine.js";
import { readPlainFile } from "./shared-files.js";

/*
 * One step of a download run: the package right after the watermark is
 * checked and applied (or set aside, and waited for), or passed over when
 * an operator asked to skip it.
 */

export type NextOutcome =
	| { waiting: null; rows: number }
	| { waiting: Waiting };

export type Commit = (
	pkg: DataPackage,
	applied: GroupProgress,
) => Promise<void>;

/** Checks and applies package `sequence` (the watermark's next); what it waits for when it cannot. */
export async function applyNext(
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
			`failed to apply ${countOf(tries, "time")} (${attempts.lastError}); send it again, or skip it with cdx package skip`,
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
		context.log.error(`download: quarantined ${message}`);
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
			? `${reason} (gave up after ${countOf(tried, "try", "tries")}; later packages wait behind it)`
			: `${reason} (try ${tried} of ${context.tryCount === 0 ? "unlimited" : context.tryCount}; tried again next run)`;
		await record({
			status: "Apply failed",
			tries: tried,
			error: message,
			finishedAt: gaveUp ? context.now().toISOString() : null,
		});
		context.log.error(`download: ${name} Apply failed: ${message}`);
		return wait(`failed to apply: ${message}`);
	}
	await record({
		status: "Applied",
		tries: tries + 1,
		finishedAt: context.now().toISOString(),
	});
	context.log.info(
		`download: applied ${name} (sequence ${sequence}, ${countOf(session.rows, "row")})`,
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
export async function passOver(
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
	context.log.info(`download: package ${sequence} ${message}`);
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
