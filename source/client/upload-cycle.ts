import { join } from "node:path";
import {
	buildPackage,
	type DataPackage,
	packageFileName,
	packageText,
	parsePackage,
	signatureMatches,
	totalRows,
} from "../domain/package-format.js";
import type { SessionEvent } from "../domain/session-events.js";
import { countOf } from "../domain/text.js";
import { defaultPageRows } from "./channel-data/counter-pages.js";
import {
	type BatchPaging,
	completeUpload,
	fixUploadBatch,
	type PendingUpload,
	readUploadBatch,
	type UploadBatch,
	writeUploadJournal,
} from "./channel-data/upload-rows.js";
import type { CycleContext, CycleResult } from "./download-cycle.js";
import { readPlainFile } from "./shared-files.js";
import { importOutbox } from "./upload-outbox.js";
import {
	publishUploadPackage,
	settleUploadSequence,
} from "./upload-publish.js";

/**
 * Points in an upload where a test may stop it, as a kill would, or look
 * at what it published ("rows-read" is inside the batch's transaction).
 */
export type UploadCheckpoint =
	| "outbox-imported"
	| "rows-read"
	| "batch-fixed"
	| "package-written";

export type UploadContext = CycleContext & {
	dataGroup: string;
	/** This channel database's folder in the upload working folder. */
	folder: string;
	/** At most this many rows go into one package; the rest go into the next ones. */
	maxRowsPerPackage?: number;
	/** Rows per read from the channel database (the progress moves between reads). */
	pageRows?: number;
	checkpoint?: (step: UploadCheckpoint) => void | Promise<void>;
};

const defaultMaxRows = 50_000;
/** The rows read so far go into the state file at most this often by the cycle's clock, not per read. */
export const rowsProgressEveryMs = 250;

/**
 * One upload run. First each outbox file is imported into the channel
 * database (one transaction each) and moved to outbox/sent/. Then the rows
 * the POS wrote since the last upload (above each table's last uploaded
 * replication counter) become signed packages, as many as it takes at
 * `maxRowsPerPackage` rows each. The order makes a kill at any point
 * harmless:
 *
 * 1. the batch (counter ranges, sequence, time) is fixed in the database,
 *    so a restart builds the package from the same rows;
 * 2. the package is written (temporary name, fsync, rename);
 * 3. only then do the counters and the sequence move, in one transaction.
 *
 * A restart finds a fixed batch: when its package is already in the folder
 * (signed by this database, same sequence) it only does step 3.
 */
export async function runUploadCycle(
	context: UploadContext,
): Promise<CycleResult> {
	const { store } = context;
	const journal = await store.readUploadJournal();
	await recordUploadedAfterCrash(context, journal.lastSequence);
	let packages = 0;
	let rows = 0;
	// Packages found in the way of ours: reported, not a failure.
	const notes: string[] = [];
	const result = (problems: string[]): CycleResult => ({
		status:
			problems.length > 0 ? "Failed" : packages > 0 ? "Succeeded" : "No data",
		packages,
		rows,
		message:
			problems.length + notes.length > 0
				? [...problems, ...notes].join("; ")
				: null,
	});
	const rejected = await importOutbox(context);
	let publishedAt = Number.NEGATIVE_INFINITY;
	// While a batch is read, the rows taken so far count as the run's, bounded by the clock.
	const paging: BatchPaging = {
		pageRows: context.pageRows ?? defaultPageRows,
		onRows: async (taken) => {
			const now = context.now().getTime();
			if (now - publishedAt >= rowsProgressEveryMs) {
				publishedAt = now;
				context.progress("reading rows", rows, rows + taken, "rows");
			}
			await context.checkpoint?.("rows-read");
		},
	};
	let batch: UploadBatch | null = null;
	if (journal.pending !== null) {
		context.log.info(
			`upload: finishing package ${journal.pending.sequence}, interrupted before`,
		);
		batch = await readUploadBatch(store.engine, journal.pending, paging);
	}
	const maxRows = context.maxRowsPerPackage ?? defaultMaxRows;
	// Packages cut by the row limit go on; the first one that took every row
	// has caught up, so a POS that never stops writing does not keep the run
	// (and the downloads behind it) going.
	for (let caughtUp = false; !caughtUp; ) {
		if (batch === null) {
			if (context.signal.aborted) break;
			batch = await fixUploadBatch(
				store.engine,
				{
					maxRows,
					createdAt: context.now().toISOString(),
					dataGroup: context.dataGroup,
				},
				paging,
			);
			if (batch === null) break;
			caughtUp = !batch.more;
			await context.checkpoint?.("batch-fixed");
		}
		// Rows count as the run's once their batch is fixed; done once its package is published.
		const batchRows = totalRows(batch.tables);
		const uploaded = await uploadBatch(context, batch, (name) =>
			context.progress(`writing ${name}`, rows, rows + batchRows, "rows"),
		);
		if (!uploaded.ok) return result([...rejected, uploaded.message]);
		packages += 1;
		rows += uploaded.rows;
		notes.push(...uploaded.notes);
		context.progress(`wrote ${uploaded.name}`, rows, rows, "rows");
		batch = null;
	}
	return result(rejected);
}

/** Steps 2 and 3 for a fixed batch; a failure leaves it fixed for the next run. */
async function uploadBatch(
	context: UploadContext,
	batch: UploadBatch,
	writing: (name: string) => void,
): Promise<
	| { ok: true; name: string; rows: number; notes: string[] }
	| { ok: false; message: string }
> {
	const { store } = context;
	const bytesFor = (pending: PendingUpload) =>
		Buffer.from(packageText(packageOf(context, pending, batch)));
	let pending = batch.pending;
	const notes: string[] = [];
	let written: boolean;
	try {
		written = await alreadyWritten(context, pending);
		if (!written) {
			// A name taken by other bytes is never replaced: the batch moves after the highest package.
			const settled = await settleUploadSequence(
				context.folder,
				pending,
				await store.readUploadJournal(),
				(journal) =>
					store.engine.write((transaction) =>
						writeUploadJournal(transaction, journal),
					),
				bytesFor,
			);
			pending = settled.pending;
			notes.push(...settled.notes);
			for (const note of notes) context.log.info(`upload: ${note}`);
		}
	} catch (error) {
		const message = `${packageFileName(pending.sequence)}: ${(error as Error).message}`;
		await uploadSession(context, pending, 0).record({
			status: "Upload failed",
			error: `${message} (tried again next run)`,
		});
		context.log.error(`upload: Upload failed: ${message}`);
		return { ok: false, message };
	}
	const name = packageFileName(pending.sequence);
	const file = join(context.folder, name);
	const { session, record } = uploadSession(
		context,
		pending,
		totalRows(batch.tables),
	);
	try {
		writing(name);
		await record({ status: "Started" });
		if (!written) await publishUploadPackage(file, bytesFor(pending));
		await context.checkpoint?.("package-written");
		await completeUpload(store.engine, pending);
	} catch (error) {
		const message = `${name}: ${(error as Error).message}`;
		await record({
			status: "Upload failed",
			error: `${message} (tried again next run)`,
		});
		context.log.error(`upload: Upload failed: ${message}`);
		return { ok: false, message };
	}
	await record({ status: "Uploaded", finishedAt: context.now().toISOString() });
	context.log.info(`upload: wrote ${name} (${countOf(session.rows, "row")})`);
	return { ok: true, name, rows: session.rows, notes };
}

/** The upload session of a batch, and how to record its next event. */
function uploadSession(
	context: UploadContext,
	pending: PendingUpload,
	rows: number,
) {
	const id = `upload:${pending.sequence}`;
	const last = context.sessions.latest(id);
	const session = {
		id,
		direction: "upload" as const,
		package: join(context.folder, packageFileName(pending.sequence)),
		sequence: pending.sequence,
		// A try killed after "Started" goes on as the same try; anything else (failed, retried) starts a new one.
		tries:
			last === undefined ? 1 : last.tries + (last.status === "Started" ? 0 : 1),
		rows,
		startedAt: last?.startedAt ?? context.now().toISOString(),
		finishedAt: null,
		error: null,
	};
	const record = (
		fields: Partial<SessionEvent> & Pick<SessionEvent, "status">,
	) =>
		context.sessions.record({
			...session,
			at: context.now().toISOString(),
			...fields,
		} as SessionEvent);
	return { session, record };
}

function packageOf(
	context: UploadContext,
	pending: PendingUpload,
	batch: UploadBatch,
): DataPackage {
	return buildPackage(
		{
			kind: "upload",
			dataGroup: pending.dataGroup,
			channelDatabase: context.channelDatabase,
			sequence: pending.sequence,
			createdAt: pending.createdAt,
			tables: batch.tables,
			schemas: batch.schemas,
			sources: pending.sources,
		},
		new Map([[context.channelDatabase, context.key]]),
	);
}

/**
 * This very batch's package is already in the folder: written before a
 * kill, with the counters not moved yet. Told by this database's signature
 * and the batch's own sequence and creation time, so a package left from
 * before a restored backup (same sequence, another batch) is not taken
 * for it, whatever rows were changed since.
 */
async function alreadyWritten(
	context: UploadContext,
	pending: PendingUpload,
): Promise<boolean> {
	const bytes = await readPlainFile(
		join(context.folder, packageFileName(pending.sequence)),
	).catch(() => null);
	if (bytes === null) return false;
	const parsed = parsePackage(bytes.toString("utf8"));
	return (
		parsed.ok &&
		parsed.package.kind === "upload" &&
		parsed.package.channelDatabase === context.channelDatabase &&
		parsed.package.sequence === pending.sequence &&
		parsed.package.createdAt === pending.createdAt &&
		signatureMatches(
			context.key,
			parsed.package.checksum,
			parsed.package.signatures[context.channelDatabase] ?? "",
		)
	);
}

/** A kill after the watermark moved but before "Uploaded" was written: write it now. */
async function recordUploadedAfterCrash(
	context: UploadContext,
	sequence: number,
): Promise<void> {
	const last = context.sessions.latest(`upload:${sequence}`);
	if (last === undefined || last.status === "Uploaded") return;
	const at = context.now().toISOString();
	await context.sessions.record({
		...last,
		status: "Uploaded",
		error: null,
		finishedAt: at,
		at,
	} as SessionEvent);
}
