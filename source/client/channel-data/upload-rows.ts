import type { PackageTables } from "../../domain/package-format.js";
import type { PackageSchemas } from "../../domain/table-schema.js";
import { type CounterTable, rowsUpToWholeCounter } from "./counter-pages.js";
import type {
	ChannelDatabaseEngine,
	EngineReader,
	EngineTransaction,
} from "./engine.js";
import { readRecord } from "./records.js";

/**
 * The column a point of sale raises on every row it writes for upload, as
 * CDX's REPLICATIONCOUNTERFROMORIGIN: a table that has it is uploaded, and
 * only rows whose counter is above the last one uploaded.
 */
export const replicationCounter = "REPLICATIONCOUNTERFROMORIGIN";

/** The upload watermark: per table the last counter uploaded, and the batch being uploaded. */
export type UploadJournal = {
	formatVersion: 2;
	lastSequence: number;
	/** Table → the highest counter already in an upload package. */
	counters: Record<string, number>;
	pending: PendingUpload | null;
	/** Outbox files imported since the last batch was fixed: the next package's `sources`. */
	importedSources: string[];
	/** Outbox files imported but not yet moved to outbox/sent/, name → checksum. */
	unmoved: Record<string, string>;
};

/** A batch fixed before its package is written, so a restart writes the same rows again. */
export type PendingUpload = {
	sequence: number;
	createdAt: string;
	/** The uploader's data group when the batch was fixed. */
	dataGroup: string;
	/** Table → the counters the package holds: above `after`, up to `upTo`. */
	ranges: Record<string, { after: number; upTo: number }>;
	/** The outbox files imported into these rows (for people; the rows are what counts). */
	sources: string[];
};

export const uploadRecord = "upload-journal";

export const emptyUploadJournal = (): UploadJournal => ({
	formatVersion: 2,
	lastSequence: 0,
	counters: {},
	pending: null,
	importedSources: [],
	unmoved: {},
});

export async function readUploadJournal(
	reader: EngineReader,
): Promise<UploadJournal> {
	return (
		(await readRecord<UploadJournal>(reader, uploadRecord)) ??
		emptyUploadJournal()
	);
}

export function writeUploadJournal(
	transaction: EngineTransaction,
	journal: UploadJournal,
): Promise<void> {
	return transaction.setRecord(uploadRecord, JSON.stringify(journal));
}

/** The tables a POS writes for upload: those with the replication counter, by name. */
async function uploadTables(reader: EngineReader): Promise<CounterTable[]> {
	const found: CounterTable[] = [];
	for (const [name, schema] of await reader.tables()) {
		const counter = Object.keys(schema.columns).find(
			(column) => column.toUpperCase() === replicationCounter,
		);
		if (counter !== undefined) found.push([name, schema, counter]);
	}
	return found;
}

export type UploadBatch = {
	pending: PendingUpload;
	tables: PackageTables;
	schemas: PackageSchemas;
	/** Rows above the batch were left for the next package (it hit the row limit). */
	more: boolean;
};

/** How a batch is read: so many rows per read, and what to tell after each read (the batch's rows so far). */
export type BatchPaging = {
	pageRows: number;
	onRows: (taken: number) => Promise<void>;
};

/**
 * Fixes the next batch: per table, in name order, the rows above the last
 * uploaded counter, in counter order, `maxRows` in all. Null when no table
 * has new rows. The batch is recorded in the same transaction it is read in.
 */
export function fixUploadBatch(
	engine: ChannelDatabaseEngine,
	settings: { maxRows: number; createdAt: string; dataGroup: string },
	paging: BatchPaging,
): Promise<UploadBatch | null> {
	return engine.write(async (transaction) => {
		const journal = await readUploadJournal(transaction);
		const ranges: PendingUpload["ranges"] = {};
		const tables: PackageTables = {};
		const schemas: PackageSchemas = {};
		let room = settings.maxRows;
		let more = false;
		for (const [name, schema, counter] of await uploadTables(transaction)) {
			if (room <= 0) {
				more = true;
				break;
			}
			const after = journal.counters[name] ?? 0;
			const before = settings.maxRows - room;
			const { rows, cut } = await rowsUpToWholeCounter(
				transaction,
				[name, schema, counter],
				{ after, limit: room },
				{
					pageRows: paging.pageRows,
					onPage: (taken) => paging.onRows(before + taken),
				},
			);
			const last = rows.at(-1);
			if (last === undefined) continue;
			ranges[name] = { after, upTo: Number(last[counter]) };
			tables[name] = rows;
			schemas[name] = schema;
			room -= rows.length;
			more ||= cut;
		}
		if (Object.keys(ranges).length === 0) return null;
		const pending: PendingUpload = {
			sequence: journal.lastSequence + 1,
			createdAt: settings.createdAt,
			dataGroup: settings.dataGroup,
			ranges,
			sources: journal.importedSources,
		};
		await writeUploadJournal(transaction, {
			...journal,
			pending,
			importedSources: [],
		});
		return { pending, tables, schemas, more };
	});
}

/** The rows of a batch fixed before (a restart after a kill), read again by its counter ranges. */
export function readUploadBatch(
	engine: ChannelDatabaseEngine,
	pending: PendingUpload,
	paging: BatchPaging,
): Promise<UploadBatch> {
	return engine.read(async (reader) => {
		const found = new Map(
			(await uploadTables(reader)).map((table) => [table[0], table]),
		);
		const tables: PackageTables = {};
		const schemas: PackageSchemas = {};
		let before = 0;
		for (const [name, range] of Object.entries(pending.ranges)) {
			const table = found.get(name);
			if (table === undefined)
				throw new Error(
					`table ${name} of upload package ${pending.sequence} is no longer in the channel database (or lost its ${replicationCounter} column)`,
				);
			const { rows } = await rowsUpToWholeCounter(
				reader,
				table,
				{ ...range, limit: Number.POSITIVE_INFINITY },
				{
					pageRows: paging.pageRows,
					onPage: (taken) => paging.onRows(before + taken),
				},
			);
			tables[name] = rows;
			schemas[name] = table[1];
			before += rows.length;
		}
		return { pending, tables, schemas, more: false };
	});
}

/** The package is durable in the upload folder: its counters and sequence become the watermark. */
export function completeUpload(
	engine: ChannelDatabaseEngine,
	pending: PendingUpload,
): Promise<void> {
	return engine.write(async (transaction) => {
		const journal = await readUploadJournal(transaction);
		const counters = { ...journal.counters };
		for (const [name, range] of Object.entries(pending.ranges))
			counters[name] = Math.max(counters[name] ?? 0, range.upTo);
		await writeUploadJournal(transaction, {
			...journal,
			lastSequence: pending.sequence,
			counters,
			pending: null,
		});
	});
}
