import type { PackageTables } from "../../domain/package-format.js";
import type {
	PackageSchemas,
	TableRow,
	TableSchema,
} from "../../domain/table-schema.js";
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
async function uploadTables(
	reader: EngineReader,
): Promise<[string, TableSchema, string][]> {
	const found: [string, TableSchema, string][] = [];
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

/**
 * Fixes the next batch: per table, in name order, the rows above the last
 * uploaded counter, in counter order, `maxRows` in all. Null when no table
 * has new rows. The batch is recorded in the same transaction it is read in.
 */
export function fixUploadBatch(
	engine: ChannelDatabaseEngine,
	settings: { maxRows: number; createdAt: string; dataGroup: string },
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
			const { rows, cut } = await rowsUpToWholeCounter(
				transaction,
				[name, schema, counter],
				after,
				room,
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

/**
 * Up to `limit` rows above `after`, never splitting rows that share a
 * counter value between two packages (the next batch starts above the
 * last counter taken): a cut in the middle drops that value's rows, and
 * a single value with more rows than the limit is taken whole.
 */
async function rowsUpToWholeCounter(
	reader: EngineReader,
	[name, schema, counter]: [string, TableSchema, string],
	after: number,
	limit: number,
): Promise<{ rows: TableRow[]; cut: boolean }> {
	// One more than the limit shows whether the cut falls between rows of one counter value.
	const rows = await reader.rowsByCounter(name, schema, counter, {
		after,
		limit: limit + 1,
	});
	if (rows.length <= limit) return { rows, cut: false };
	const last = rows[limit - 1]?.[counter];
	if (rows[limit]?.[counter] !== last)
		return { rows: rows.slice(0, limit), cut: true };
	const whole = rows.slice(0, limit).filter((row) => row[counter] !== last);
	if (whole.length > 0) return { rows: whole, cut: true };
	const all = await reader.rowsByCounter(name, schema, counter, {
		after,
		upTo: Number(last),
		limit: -1,
	});
	return { rows: all, cut: true };
}

/** The rows of a batch fixed before (a restart after a kill), read again by its counter ranges. */
export function readUploadBatch(
	engine: ChannelDatabaseEngine,
	pending: PendingUpload,
): Promise<UploadBatch> {
	return engine.read(async (reader) => {
		const found = new Map(
			(await uploadTables(reader)).map(([name, schema, counter]) => [
				name,
				{ schema, counter },
			]),
		);
		const tables: PackageTables = {};
		const schemas: PackageSchemas = {};
		for (const [name, range] of Object.entries(pending.ranges)) {
			const table = found.get(name);
			if (table === undefined)
				throw new Error(
					`table ${name} of upload package ${pending.sequence} is no longer in the channel database (or lost its ${replicationCounter} column)`,
				);
			const rows: TableRow[] = await reader.rowsByCounter(
				name,
				table.schema,
				table.counter,
				{ after: range.after, upTo: range.upTo, limit: -1 },
			);
			tables[name] = rows;
			schemas[name] = table.schema;
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
