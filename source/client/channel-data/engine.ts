import type {
	ColumnType,
	TableRow,
	TableSchema,
} from "../../domain/table-schema.js";

/**
 * One channel database as the Async Client uses it. All SQL lives behind
 * this interface, one implementation per engine (SQLite today; PostgreSQL
 * for a channel database on a server can be added beside it): the download
 * and upload cycles only ever call these methods. Every method is async so
 * an engine that talks to a server fits the same shape; an engine runs one
 * call at a time on its connection, so callers need no locking of their own.
 */
export interface ChannelDatabaseEngine {
	readonly engine: EngineName;
	/** Where the data is, for people: a file path, or a server and database name. */
	readonly location: string;
	/** Runs `work` in one transaction: everything it wrote is committed together, or nothing is. */
	write<T>(work: (transaction: EngineTransaction) => Promise<T>): Promise<T>;
	/** Runs `work` on one consistent snapshot, writing nothing. */
	read<T>(work: (reader: EngineReader) => Promise<T>): Promise<T>;
	/**
	 * Runs one statement an operator typed, refused unless it only reads
	 * (whatever the statement says, the engine checks it, and runs it on a
	 * connection that cannot write).
	 */
	query(sql: string): Promise<QueryResult>;
	close(): Promise<void>;
}

export type EngineName = "sqlite" | "postgresql";

export type QueryResult =
	| { ok: true; columns: string[]; rows: Record<string, unknown>[] }
	| { ok: false; refused: string };

export interface EngineReader {
	/** The data tables (not the client's own records), with their key and column types. */
	tables(): Promise<Map<string, TableSchema>>;
	/** One of the client's own records (watermarks, upload counters), as it was last set. */
	record(name: string): Promise<string | null>;
	/** Every one of the client's records by name (for moving a store to another engine). */
	records(): Promise<Map<string, string>>;
	/** A table's rows in key order, `limit` at most after skipping `offset`. */
	rows(
		table: string,
		schema: TableSchema,
		options?: { offset?: number; limit?: number },
	): Promise<TableRow[]>;
	/**
	 * Rows whose `counter` column is above `after` (and at most `upTo` when
	 * given), in counter order, at most `limit`.
	 */
	rowsByCounter(
		table: string,
		schema: TableSchema,
		counter: string,
		range: CounterRange,
	): Promise<TableRow[]>;
	/**
	 * The same rows handed on `pageRows` at a time as the engine reads them
	 * from the one statement, so a long read can tell how far it is.
	 */
	rowsByCounterInPages(
		table: string,
		schema: TableSchema,
		counter: string,
		range: CounterRange,
		pageRows: number,
	): AsyncIterable<TableRow[]>;
	/** The highest value in a table's `counter` column, 0 when it has none. */
	highestCounter(table: string, counter: string): Promise<number>;
}

export interface EngineTransaction extends EngineReader {
	createTable(table: string, schema: TableSchema): Promise<void>;
	addColumn(table: string, column: string, type: ColumnType): Promise<void>;
	/** Inserts each row, or replaces the columns it has of the row with the same key. */
	upsert(table: string, schema: TableSchema, rows: TableRow[]): Promise<void>;
	setRecord(name: string, value: string): Promise<void>;
}

/**
 * Whether an engine's error means the database did not answer (a server
 * stopped, restarting or out of reach): nothing was written, and it is no
 * fault of the package being applied, so it costs the package no try.
 */
export function isStoreUnavailable(error: unknown): boolean {
	return (error as { storeUnavailable?: unknown }).storeUnavailable === true;
}

/** Rows after counter value `after` (up to `upTo`, when given), at most `limit` (negative: no limit). */
export type CounterRange = { after: number; upTo?: number; limit: number };
