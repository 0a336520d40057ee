import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ChannelStoreFacts } from "../domain/client-state.js";
import { isObject, parseJson } from "../domain/json-text.js";
import { type PackageTables, tablesProblem } from "../domain/package-format.js";
import {
	type ColumnType,
	inferSchema,
	type PackageSchemas,
	planTable,
	rowProblem,
	type TableRow,
	type TableSchema,
} from "../domain/table-schema.js";
import { removeLeftoverTemporaryFiles } from "../store/atomic-write.js";
import type {
	ChannelDatabaseEngine,
	EngineTransaction,
} from "./channel-data/engine.js";
import { SqliteChannelDatabase } from "./channel-data/sqlite.js";
import { listCompleteFiles } from "./files.js";

/** How far this channel database got with one data group's download packages. */
export type GroupProgress = {
	/** The last sequence applied: the watermark. Packages at or below it are never applied again. */
	sequence: number;
	/** The checksum of the package applied at the watermark: tells a renumbered folder from the one applied. */
	appliedChecksum?: string;
	appliedAt: string | null;
	/** Full data syncs served for this group; part of session IDs so a re-apply is a new session. */
	generation: number;
	/** Packages that failed to apply, by file name: tries so far, for the try count. */
	attempts: Record<string, PackageAttempts>;
	/**
	 * Packages not signed for this database, by file name: a copy was set
	 * aside once. Remembered by the whole file's checksum, signatures
	 * included, so a package signed again is checked again.
	 */
	setAside: Record<string, SetAside>;
	/** Skips an operator asked for (cdx package skip), by sequence: the package is passed over, not applied. */
	skips?: Record<string, PlannedSkip>;
};

export type SetAside = { fileChecksum: string; reason: string };

export type PlannedSkip = {
	/** user@host */
	requestedBy: string;
	requestedAt: string;
	reason: string;
};

export type PackageAttempts = {
	/** A replaced file (other checksum) starts again from zero tries. */
	checksum: string;
	tries: number;
	lastError: string;
	startedAt: string;
};

export type DownloadProgress = {
	formatVersion: 1;
	groups: Record<string, GroupProgress>;
	/** The full-sync request (fullSyncRequestedAt) last served. */
	lastFullSyncAt: string | null;
};

/** The upload watermark, and the batch being uploaded (fixed before its package is written). */
export type UploadJournal = {
	formatVersion: 1;
	lastSequence: number;
	pending: PendingUpload | null;
};

export type PendingUpload = {
	sequence: number;
	createdAt: string;
	/** The uploader's data group when the batch was fixed, so a rebuilt package is identical. */
	dataGroup: string;
	/** The outbox files in this package, in order; each is in outbox/ or already in outbox/sent/. */
	sources: string[];
};

export function emptyGroupProgress(): GroupProgress {
	return {
		sequence: 0,
		appliedAt: null,
		generation: 0,
		attempts: {},
		setAside: {},
	};
}

/** The client's own records in the channel database. */
const downloadRecord = "download-progress";
const uploadRecord = "upload-journal";

/** The name of the SQLite file in a channel database's data folder. */
export const databaseFileName = "channel-database.sqlite";

export type OpenEngine = (file: string) => Promise<ChannelDatabaseEngine>;

/**
 * The local data of one channel database (see the README's "Files"
 * section): its tables and the client's watermarks in one SQL database,
 * and the outbox folder beside it for a point of sale that can only write
 * files. Each package is applied in one transaction with its watermark.
 */
export class ChannelDataStore {
	readonly databaseFile: string;
	readonly outboxFolder: string;
	readonly sentFolder: string;
	readonly rejectedFolder: string;
	#engine: ChannelDatabaseEngine | null = null;

	constructor(
		readonly root: string,
		readonly openEngine: OpenEngine = SqliteChannelDatabase.open,
	) {
		this.databaseFile = join(root, databaseFileName);
		this.outboxFolder = join(root, "outbox");
		this.sentFolder = join(this.outboxFolder, "sent");
		this.rejectedFolder = join(this.outboxFolder, "rejected");
	}

	/** The open database; `prepare()` opens it. */
	get engine(): ChannelDatabaseEngine {
		if (this.#engine === null)
			throw new Error(`the channel database in ${this.root} is not open`);
		return this.#engine;
	}

	/** Creates the folders, opens the database and clears temporary files a killed client left. */
	async prepare(): Promise<void> {
		for (const folder of [this.sentFolder, this.rejectedFolder])
			await mkdir(folder, { recursive: true, mode: 0o750 });
		await removeLeftoverTemporaryFiles(this.sentFolder);
		this.#engine ??= await this.openEngine(this.databaseFile);
	}

	async close(): Promise<void> {
		await this.#engine?.close();
		this.#engine = null;
	}

	/** What the detail view shows of this database: engine, where it is, each data group's watermark. */
	async facts(): Promise<ChannelStoreFacts> {
		const progress = await this.readProgress();
		return {
			engine: this.engine.engine,
			location: this.engine.location,
			watermarks: Object.fromEntries(
				Object.entries(progress.groups).map(([group, { sequence }]) => [
					group,
					sequence,
				]),
			),
		};
	}

	async readProgress(): Promise<DownloadProgress> {
		const text = await this.engine.read((reader) =>
			reader.record(downloadRecord),
		);
		return (
			recordValue<DownloadProgress>(text, downloadRecord) ?? {
				formatVersion: 1,
				groups: {},
				lastFullSyncAt: null,
			}
		);
	}

	/** Moves the download watermark (and the tries, set-aside packages) on its own. */
	writeProgress(progress: DownloadProgress): Promise<void> {
		return this.engine.write((transaction) =>
			transaction.setRecord(downloadRecord, JSON.stringify(progress)),
		);
	}

	/**
	 * Applies a package: creates missing tables and columns, upserts every
	 * row by key, and sets the new download progress, all in one
	 * transaction. A package that does not fit (a type conflict, a missing
	 * key) throws naming table, column and row, and changes nothing.
	 */
	applyPackage(
		tables: PackageTables,
		schemas: PackageSchemas | undefined,
		progress: DownloadProgress,
	): Promise<void> {
		return this.engine.write(async (transaction) => {
			await applyTables(transaction, tables, schemas);
			await transaction.setRecord(downloadRecord, JSON.stringify(progress));
		});
	}

	/** A table's rows in key order (empty when there is no such table). */
	async readTable(name: string): Promise<TableRow[]> {
		return this.engine.read(async (reader) => {
			const schema = (await reader.tables()).get(name);
			return schema === undefined ? [] : reader.rows(name, schema);
		});
	}

	async readUploadJournal(): Promise<UploadJournal> {
		const text = await this.engine.read((reader) =>
			reader.record(uploadRecord),
		);
		return (
			recordValue<UploadJournal>(text, uploadRecord) ?? {
				formatVersion: 1,
				lastSequence: 0,
				pending: null,
			}
		);
	}

	writeUploadJournal(journal: UploadJournal): Promise<void> {
		return this.engine.write((transaction) =>
			transaction.setRecord(uploadRecord, JSON.stringify(journal)),
		);
	}

	/** Complete outbox files (`*.json`), oldest name first. */
	async outboxFiles(): Promise<string[]> {
		return (await listCompleteFiles(this.outboxFolder)).filter((name) =>
			name.endsWith(".json"),
		);
	}
}

function recordValue<T>(text: string | null, name: string): T | null {
	if (text === null) return null;
	const parsed = parseJson(text);
	if (!parsed.ok || !isObject(parsed.value))
		throw new Error(
			`the client's record ${name} in the channel database is not readable`,
		);
	return parsed.value as T;
}

/**
 * Upserts a package's tables inside `transaction`. A table's schema comes
 * from the package, or is inferred from its rows (packages made before
 * packages carried schemas).
 */
export async function applyTables(
	transaction: EngineTransaction,
	tables: PackageTables,
	schemas: PackageSchemas | undefined,
): Promise<void> {
	const problem = tablesProblem(tables, schemas);
	if (problem !== null) throw new Error(problem);
	const existing = await transaction.tables();
	for (const [table, rows] of Object.entries(tables)) {
		if (table.toLowerCase().startsWith("sqlite_"))
			throw new Error(`table name ${table} is reserved by SQLite`);
		if (rows.length === 0) continue;
		const before =
			[...existing].find(
				([name]) => name.toLowerCase() === table.toLowerCase(),
			) ?? null;
		const incoming = schemaFor(table, rows, schemas, before?.[1] ?? null);
		const plan = planTable(table, before?.[1] ?? null, incoming);
		if (!plan.ok) throw new Error(plan.problem);
		for (const [index, row] of rows.entries()) {
			const problem = rowProblem(table, plan.schema, row, index);
			if (problem !== null) throw new Error(problem);
		}
		const name = before?.[0] ?? table;
		if (plan.create) await transaction.createTable(name, plan.schema);
		for (const [column, type] of plan.addColumns)
			await transaction.addColumn(name, column, type);
		const columns: TableSchema = {
			key: plan.schema.key,
			columns: Object.fromEntries(
				Object.keys(incoming.columns).map((column) => [
					column,
					plan.schema.columns[column] ?? incoming.columns[column],
				]),
			) as TableSchema["columns"],
		};
		await transaction.upsert(name, columns, rows as TableRow[]);
	}
}

/**
 * The schema a package states for a table, or one inferred from its rows
 * (packages made before packages carried schemas): a column the table
 * already has keeps its type, so the rows are checked against it.
 */
function schemaFor(
	table: string,
	rows: readonly Record<string, unknown>[],
	schemas: PackageSchemas | undefined,
	existing: TableSchema | null,
): TableSchema {
	const stated = schemas?.[table];
	if (stated !== undefined) return stated;
	const known = new Map(
		Object.entries(existing?.columns ?? {}).map(([name, type]) => [
			name.toLowerCase(),
			type,
		]),
	);
	const isNew = (column: string) => !known.has(column.toLowerCase());
	const inferred = inferSchema(
		table,
		rows.map((row) =>
			Object.fromEntries(
				Object.entries(row).filter(([column]) => isNew(column)),
			),
		),
		existing === null ? undefined : [],
	);
	if (!inferred.ok) throw new Error(inferred.problem);
	if (existing === null) return inferred.schema;
	const columns = { ...inferred.schema.columns };
	for (const row of rows)
		for (const column of Object.keys(row))
			if (!isNew(column))
				columns[column] = known.get(column.toLowerCase()) as ColumnType;
	return { key: existing.key, columns };
}
