import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SessionEvent } from "../domain/client-state.js";
import { isObject, parseJson } from "../domain/json-text.js";
import {
	buildPackage,
	type PackageTables,
	packageFileName,
	packageText,
	tablesProblem,
	totalRows,
} from "../domain/package-format.js";
import { writeFileAtomically } from "../store/atomic-write.js";
import type { ChannelDataStore, PendingUpload } from "./channel-store.js";
import type { CycleContext, CycleResult } from "./download-cycle.js";
import {
	isMissing,
	moveDurably,
	readTextIfPresent,
	sharedFileMode,
} from "./files.js";

/** Points in an upload where a test may stop it, as a kill would. */
export type UploadCheckpoint =
	| "batch-fixed"
	| "package-written"
	| "source-moved";

export type UploadContext = CycleContext & {
	dataGroup: string;
	/** This channel database's folder in the upload working folder. */
	folder: string;
	/** At most this many outbox files go into one package; the rest wait for the next run. */
	maxFilesPerPackage?: number;
	checkpoint?: (step: UploadCheckpoint) => void | Promise<void>;
};

const defaultMaxFiles = 1000;

/**
 * One upload run: what the POS put in the outbox since the last upload
 * becomes one signed package in the upload working folder (after first
 * finishing a package a killed run left half done). The order makes a kill
 * at any point harmless:
 *
 * 1. the batch (which outbox files, the sequence, the time) is fixed in
 *    upload.json, so a restart builds the same package again;
 * 2. the package is written (temporary name, fsync, rename): a restart
 *    writes a byte-identical file under the same name, never a second one;
 * 3. the batch's files move to outbox/sent/;
 * 4. the watermark moves and the batch is cleared.
 */
export async function runUploadCycle(
	context: UploadContext,
): Promise<CycleResult> {
	const { store } = context;
	const journal = await store.readUploadJournal();
	await recordUploadedAfterCrash(context, journal.lastSequence);
	let packages = 0;
	let rows = 0;
	const result = (problems: string[]): CycleResult => ({
		status:
			problems.length > 0 ? "Failed" : packages > 0 ? "Succeeded" : "No data",
		packages,
		rows,
		message: problems.length > 0 ? problems.join("; ") : null,
	});
	if (journal.pending !== null) {
		context.log.info(
			`upload: finishing package ${journal.pending.sequence}, interrupted before`,
		);
		const finished = await uploadBatch(context, journal.pending);
		if (!finished.ok) return result([finished.message]);
		packages += 1;
		rows += finished.rows;
	}
	const batch = await chooseBatch(context);
	if (batch.sources.length === 0) return result(batch.rejected);
	const pending: PendingUpload = {
		sequence: (journal.pending?.sequence ?? journal.lastSequence) + 1,
		createdAt: context.now().toISOString(),
		dataGroup: context.dataGroup,
		sources: batch.sources,
	};
	await store.writeUploadJournal({ ...journal, pending });
	await context.checkpoint?.("batch-fixed");
	const uploaded = await uploadBatch(context, pending);
	if (!uploaded.ok) return result([...batch.rejected, uploaded.message]);
	packages += 1;
	rows += uploaded.rows;
	return result(batch.rejected);
}

/** Steps 2 to 4 for a fixed batch; a failure leaves it fixed for the next run. */
async function uploadBatch(
	context: UploadContext,
	pending: PendingUpload,
): Promise<{ ok: true; rows: number } | { ok: false; message: string }> {
	const { store } = context;
	const name = packageFileName(pending.sequence);
	const file = join(context.folder, name);
	const id = `upload:${pending.sequence}`;
	const last = context.sessions.latest(id);
	const session = {
		id,
		direction: "upload" as const,
		package: file,
		sequence: pending.sequence,
		// A try killed after "Started" goes on as the same try; anything else (failed, retried) starts a new one.
		tries:
			last === undefined ? 1 : last.tries + (last.status === "Started" ? 0 : 1),
		rows: 0,
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
	try {
		context.progress(`writing ${name}`, 0, 1);
		const tables = await readBatch(store, pending);
		session.rows = totalRows(tables);
		await record({ status: "Started" });
		const pkg = buildPackage(
			{
				kind: "upload",
				dataGroup: pending.dataGroup,
				channelDatabase: context.channelDatabase,
				sequence: pending.sequence,
				createdAt: pending.createdAt,
				tables,
				sources: pending.sources,
			},
			new Map([[context.channelDatabase, context.key]]),
		);
		await mkdir(context.folder, { recursive: true, mode: 0o750 });
		await writeFileAtomically(file, packageText(pkg), sharedFileMode);
		await context.checkpoint?.("package-written");
		for (const source of pending.sources) {
			try {
				await moveDurably(
					join(store.outboxFolder, source),
					join(store.sentFolder, source),
				);
			} catch (error) {
				if (!isMissing(error)) throw error;
			}
			await context.checkpoint?.("source-moved");
		}
		await store.writeUploadJournal({
			formatVersion: 1,
			lastSequence: pending.sequence,
			pending: null,
		});
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
	context.log.info(
		`upload: wrote ${name} (${pending.sources.length} outbox files, ${session.rows} rows)`,
	);
	return { ok: true, rows: session.rows };
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

type OutboxContent = { tables: PackageTables };

function outboxProblem(text: string): string | null {
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed.problem;
	if (!isObject(parsed.value)) return `must be an object {"tables": {...}}`;
	return tablesProblem(parsed.value.tables);
}

/** The outbox files for the next package; files that can never be uploaded move to outbox/rejected/. */
async function chooseBatch(
	context: UploadContext,
): Promise<{ sources: string[]; rejected: string[] }> {
	const { store } = context;
	const names = (await store.outboxFiles()).slice(
		0,
		context.maxFilesPerPackage ?? defaultMaxFiles,
	);
	const sources: string[] = [];
	const rejected: string[] = [];
	for (const name of names) {
		const text = await readTextIfPresent(join(store.outboxFolder, name));
		if (text === null) continue;
		const problem = outboxProblem(text);
		if (problem === null) {
			sources.push(name);
			continue;
		}
		const target = join(store.rejectedFolder, name);
		await moveDurably(join(store.outboxFolder, name), target);
		await writeFile(
			`${target}.reason.txt`,
			`${context.now().toISOString()} ${problem}\n`,
		);
		rejected.push(
			`outbox file ${name} rejected: ${problem}; moved to ${target}`,
		);
		context.log.error(`upload: outbox file ${name} rejected: ${problem}`);
	}
	return { sources, rejected };
}

/** The batch's rows, table by table in file order; each file is still in the outbox or already sent. */
async function readBatch(
	store: ChannelDataStore,
	pending: PendingUpload,
): Promise<PackageTables> {
	const tables: PackageTables = {};
	for (const source of pending.sources) {
		const text =
			(await readTextIfPresent(join(store.outboxFolder, source))) ??
			(await readTextIfPresent(join(store.sentFolder, source)));
		if (text === null)
			throw new Error(
				`outbox file ${source} of upload package ${pending.sequence} is in neither outbox/ nor outbox/sent/`,
			);
		const content = JSON.parse(text) as OutboxContent;
		for (const [table, rows] of Object.entries(content.tables)) {
			if (!Object.hasOwn(tables, table)) tables[table] = [];
			tables[table]?.push(...rows);
		}
	}
	return tables;
}
