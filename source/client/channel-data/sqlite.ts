import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type Libsql from "libsql";
import type { TableSchema } from "../../domain/table-schema.js";
import type {
	ChannelDatabaseEngine,
	EngineReader,
	EngineTransaction,
	QueryResult,
} from "./engine.js";
import {
	counterRangeTail,
	createTableStatement,
	highestCounterStatement,
	keyOrderPage,
	quotedName,
	recordStatements,
	recordsTable,
	rowsFrom,
	type StatementTail,
	selectColumns,
	upsertStatement,
} from "./sql-shapes.js";
import {
	columnDefinition,
	columnTypeOf,
	fromStored,
	toStored,
} from "./sqlite-columns.js";
import { readOnlyStatementProblem } from "./statement-text.js";

type Connection = Libsql.Database;

// libsql loads its prebuilt binary with a computed require: it stays outside the bundle.
const Database = createRequire(import.meta.url)("libsql") as typeof Libsql;

/** How long a statement waits for a point-of-sale writer to finish before failing. */
const busyTimeoutMs = 10_000;

/** Rows per INSERT, and SQLite's limit on a statement's parameters. */
const rowsPerStatement = 100;
const maxParameters = 32_766;

const placeholder = () => "?";
const records = recordStatements(placeholder);
/** LIMIT -1 is SQLite's "no limit". */
const noLimit = -1;

/**
 * A channel database in one SQLite file (libsql, better-sqlite3's API with
 * a prebuilt binary), in WAL mode so a point of sale can read and write the
 * same file while the client applies packages, each write a transaction.
 */
export class SqliteChannelDatabase implements ChannelDatabaseEngine {
	readonly engine = "sqlite" as const;
	readonly #connection: Connection;
	readonly #statements = new Map<string, Libsql.Statement>();
	/** Calls wait for each other: one transaction at a time on the connection. */
	#queue: Promise<unknown> = Promise.resolve();

	private constructor(
		readonly location: string,
		connection: Connection,
	) {
		this.#connection = connection;
	}

	/** Opens the file (creating it when missing) in WAL mode with a busy timeout. */
	static async open(file: string): Promise<SqliteChannelDatabase> {
		const connection = new Database(file);
		try {
			connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
			connection.pragma("journal_mode = WAL");
			// A commit is on disk before the client goes on (moves files, writes a package).
			connection.pragma("synchronous = FULL");
			connection.exec(
				`CREATE TABLE IF NOT EXISTS ${recordsTable} (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`,
			);
		} catch (error) {
			connection.close();
			throw new Error(`${file}: ${(error as Error).message}`);
		}
		return new SqliteChannelDatabase(file, connection);
	}

	#serially<T>(work: () => Promise<T>): Promise<T> {
		const next = this.#queue.then(work, work);
		this.#queue = next.catch(() => {});
		return next;
	}

	#prepare(sql: string): Libsql.Statement {
		let statement = this.#statements.get(sql);
		if (statement === undefined) {
			statement = this.#connection.prepare(sql);
			this.#statements.set(sql, statement);
		}
		return statement;
	}

	write<T>(work: (transaction: EngineTransaction) => Promise<T>): Promise<T> {
		return this.#serially(async () => {
			// IMMEDIATE takes the write lock now (waiting for a POS writer), not halfway through.
			this.#connection.exec("BEGIN IMMEDIATE");
			try {
				const result = await work(this.#transaction());
				this.#connection.exec("COMMIT");
				return result;
			} catch (error) {
				if (this.#connection.inTransaction) this.#connection.exec("ROLLBACK");
				throw this.#named(error);
			}
		});
	}

	/** SQLite's own errors (a full disk, a locked file), as a plain Error naming the file. */
	#named(error: unknown): unknown {
		const code = (error as { code?: unknown }).code;
		if (typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
		return Object.assign(
			new Error(`${this.location}: ${(error as Error).message} (${code})`),
			{ code },
		);
	}

	read<T>(work: (reader: EngineReader) => Promise<T>): Promise<T> {
		return this.#serially(async () => {
			this.#connection.exec("BEGIN");
			try {
				return await work(this.#transaction());
			} catch (error) {
				throw this.#named(error);
			} finally {
				if (this.#connection.inTransaction) this.#connection.exec("ROLLBACK");
			}
		});
	}

	/** Runs an operator's statement on the file without opening it for writing at all. */
	static queryFile(file: string, sql: string): Promise<QueryResult> {
		return queryReadOnly(file, sql);
	}

	query(sql: string): Promise<QueryResult> {
		return queryReadOnly(this.location, sql);
	}

	async close(): Promise<void> {
		await this.#serially(async () => this.#connection.close());
	}

	#transaction(): EngineTransaction {
		const prepare = (sql: string) => this.#prepare(sql);
		// libsql's get() adds a _metadata field and ignores pluck(): raw rows only.
		const values = (sql: string, ...parameters: unknown[]) =>
			(
				prepare(sql)
					.raw(true)
					.all(...parameters) as unknown[][]
			).map((row) => row[0]);
		const tables = async () => {
			const names = values(
				`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name`,
			) as string[];
			const schemas = new Map<string, TableSchema>();
			for (const name of names) {
				const info = this.#connection
					.prepare(`SELECT name, type, pk FROM pragma_table_info(?)`)
					.all(name) as { name: string; type: string; pk: number }[];
				schemas.set(name, {
					key: info
						.filter((column) => column.pk > 0)
						.sort((a, b) => a.pk - b.pk)
						.map((column) => column.name),
					columns: Object.fromEntries(
						info.map((column) => [column.name, columnTypeOf(column.type)]),
					),
				});
			}
			return schemas;
		};
		const selectRows = (
			table: string,
			schema: TableSchema,
			{ tail, parameters }: StatementTail,
		) =>
			rowsFrom(
				schema,
				prepare(selectColumns(table, schema, tail))
					.raw(true)
					.all(...parameters) as unknown[][],
				fromStored,
			);
		return {
			tables,
			record: async (name) =>
				(values(records.one, name)[0] as string | undefined) ?? null,
			records: async () =>
				new Map(prepare(records.all).raw(true).all() as [string, string][]),
			rows: async (table, schema, options = {}) =>
				selectRows(
					table,
					schema,
					keyOrderPage(schema, "rowid", placeholder, noLimit, options),
				),
			rowsByCounter: async (table, schema, counter, range) =>
				selectRows(
					table,
					schema,
					counterRangeTail(counter, range, placeholder, noLimit),
				),
			// Rows stream from SQLite as they are stepped through: each page is handed on as it is read.
			rowsByCounterInPages: async function* (
				table,
				schema,
				counter,
				range,
				pageRows,
			) {
				const { tail, parameters } = counterRangeTail(
					counter,
					range,
					placeholder,
					noLimit,
				);
				const statement = prepare(selectColumns(table, schema, tail)).raw(true);
				let page: unknown[][] = [];
				for (const values of statement.iterate(...parameters)) {
					page.push(values as unknown[]);
					if (page.length < pageRows) continue;
					yield rowsFrom(schema, page, fromStored);
					page = [];
				}
				if (page.length > 0) yield rowsFrom(schema, page, fromStored);
			},
			highestCounter: async (table, counter) =>
				Number(values(highestCounterStatement(table, counter))[0] ?? 0),
			createTable: async (table, schema) => {
				this.#connection.exec(
					createTableStatement(table, schema, columnDefinition),
				);
			},
			addColumn: async (table, column, type) => {
				this.#connection.exec(
					`ALTER TABLE ${quotedName(table)} ADD COLUMN ${columnDefinition(column, type, false)}`,
				);
			},
			upsert: async (table, schema, rows) => {
				if (rows.length === 0) return;
				const columns = Object.keys(schema.columns);
				const insert = (count: number) =>
					prepare(
						upsertStatement(
							table,
							schema,
							`VALUES ${Array.from({ length: count }, () => `(${columns.map(() => "?").join(", ")})`).join(", ")}`,
						),
					);
				const types = columns.map((column) => schema.columns[column]);
				// Many rows per statement: each call into SQLite costs more than the row itself.
				const perStatement = Math.max(
					1,
					Math.min(
						rowsPerStatement,
						Math.floor(maxParameters / columns.length),
					),
				);
				for (let start = 0; start < rows.length; start += perStatement) {
					const chunk = rows.slice(start, start + perStatement);
					const values: unknown[] = [];
					for (const row of chunk)
						for (const [index, column] of columns.entries())
							values.push(toStored(types[index], row[column] ?? null));
					insert(chunk.length).run(values);
				}
			},
			setRecord: async (name, value) => {
				prepare(records.set).run(name, value);
			},
		};
	}
}

/**
 * One statement an operator typed, on a connection opened read-only: the
 * text is screened (one statement, no PRAGMA assignment, no ATTACH), the
 * compiled statement must be a reader, and whatever slips past both still
 * cannot change the file.
 */
async function queryReadOnly(file: string, sql: string): Promise<QueryResult> {
	const problem = readOnlyStatementProblem(sql);
	if (problem !== null) return { ok: false, refused: problem };
	// A connection that cannot write: whatever the statement turns out to do, the file stays as it is.
	const reader = new Database(`${pathToFileURL(file).href}?mode=ro`);
	try {
		reader.pragma(`busy_timeout = ${busyTimeoutMs}`);
		let statement: Libsql.Statement;
		try {
			statement = reader.prepare(sql);
		} catch (error) {
			return { ok: false, refused: (error as Error).message };
		}
		if (!statement.reader)
			return {
				ok: false,
				refused: "only a statement that reads (SELECT) can be run here",
			};
		const columns = statement.columns().map((column) => column.name);
		const rows = statement.all() as Record<string, unknown>[];
		return { ok: true, columns, rows };
	} catch (error) {
		const message = (error as Error).message;
		if (/readonly|read-only/i.test(message))
			return { ok: false, refused: `it would write: ${message}` };
		throw error;
	} finally {
		reader.close();
	}
}
