import type Pg from "pg";
import {
	type DatabaseServer,
	postgresLocation,
} from "../../domain/database-server.js";
import type {
	ColumnType,
	ColumnValue,
	TableRow,
	TableSchema,
} from "../../domain/table-schema.js";
import type {
	ChannelDatabaseEngine,
	EngineReader,
	EngineTransaction,
	QueryResult,
} from "./engine.js";
import {
	loadPg,
	openConnection,
	postgresProblem,
	tlsRefused,
} from "./postgres-connection.js";
import { readOnlyStatementProblem } from "./statement-text.js";

/** The client's own records (watermarks, upload counters): the same name as in SQLite. */
const recordsTable = "_cdx_client_records";

/** Rows per INSERT … SELECT FROM unnest(…): one array parameter per column, whatever the row count. */
const upsertBatchRows = 5_000;

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

const declaredTypes: Record<ColumnType, string> = {
	text: "text",
	integer: "bigint",
	decimal: "numeric",
	boolean: "boolean",
	timestamp: "timestamptz",
};

/** A column a POS created by hand, in the five types (anything else reads as text). */
function columnTypeOf(declared: string): ColumnType {
	if (declared === "boolean") return "boolean";
	if (declared.startsWith("timestamp") || declared === "date")
		return "timestamp";
	if (["smallint", "integer", "bigint"].includes(declared)) return "integer";
	if (
		declared.startsWith("numeric") ||
		declared === "real" ||
		declared === "double precision"
	)
		return "decimal";
	return "text";
}

/** The statement an operator typed may start with these words only: everything else could change something. */
const readingStatements = new Set([
	"SELECT",
	"WITH",
	"VALUES",
	"TABLE",
	"SHOW",
]);

/**
 * A channel database in a PostgreSQL database on a server (node-postgres,
 * pure JavaScript), for a store that outgrew an embedded file. One
 * connection, one call at a time; a connection the server dropped is
 * replaced on the next call, so a restarted server costs one failed cycle.
 * Credentials come from libpq's environment (postgres-connection.ts), never
 * from db.json.
 */
export class PostgresChannelDatabase implements ChannelDatabaseEngine {
	readonly engine = "postgresql" as const;
	readonly location: string;
	#connection: Pg.Client | null = null;
	#queue: Promise<unknown> = Promise.resolve();
	#closed = false;

	private constructor(
		readonly server: DatabaseServer,
		readonly database: string,
	) {
		this.location = postgresLocation(server, database);
	}

	/** Connects, and creates the client's records table when it is missing. */
	static async open(
		server: DatabaseServer,
		database: string,
	): Promise<PostgresChannelDatabase> {
		const engine = await PostgresChannelDatabase.connect(server, database);
		await engine.#serially(async () => {
			const connection = await engine.#connect();
			await connection
				.query(
					`CREATE TABLE IF NOT EXISTS ${recordsTable} (name text PRIMARY KEY, value text NOT NULL)`,
				)
				.catch((error: unknown) => {
					throw engine.#named(error);
				});
		});
		return engine;
	}

	/** Connects and changes nothing: for an operator's query and the channel-db test. */
	static async connect(
		server: DatabaseServer,
		database: string,
	): Promise<PostgresChannelDatabase> {
		const engine = new PostgresChannelDatabase(server, database);
		await engine.#serially(() => engine.#connect());
		return engine;
	}

	#serially<T>(work: () => Promise<T>): Promise<T> {
		const next = this.#queue.then(work, work);
		this.#queue = next.catch(() => {});
		return next;
	}

	/** The open connection, or a new one (the first call, or after the server dropped the last). */
	async #connect(): Promise<Pg.Client> {
		if (this.#closed) throw new Error(`${this.location}: closed`);
		if (this.#connection !== null) return this.#connection;
		// A server that goes away between calls: the next call connects again.
		const connection = await openConnection(
			this.server,
			this.database,
			(dropped) => {
				if (this.#connection === dropped) this.#connection = null;
			},
		).catch((error: unknown) => {
			throw this.#named(error);
		});
		this.#connection = connection;
		return connection;
	}

	/** Drops a connection whose state is unknown (the server went away mid-transaction). */
	async #discard(connection: Pg.Client): Promise<void> {
		if (this.#connection === connection) this.#connection = null;
		await connection.end().catch(() => {});
	}

	/** What the server or the connection threw, as one line naming both; the caller's own errors as they are. */
	#named(error: unknown): unknown {
		if (!isFromDatabase(error)) return error;
		const { problem, fix } = postgresProblem(error, {
			server: this.server,
			database: this.database,
		});
		// The fix stays apart too, for `cdx channel-db test`'s "fix:" line.
		return Object.assign(
			new Error(fix === null ? problem : `${problem}; ${fix}`, {
				cause: error,
			}),
			{ problem, fix, storeUnavailable: isConnectionFailure(error) },
		);
	}

	/** Runs `work` between `begin` and COMMIT (or ROLLBACK), on one connection. */
	#transaction<T>(
		begin: string,
		end: "COMMIT" | "ROLLBACK",
		work: (connection: Pg.Client) => Promise<T>,
	): Promise<T> {
		return this.#serially(async () => {
			const connection = await this.#connect();
			try {
				await connection.query(begin);
				const result = await work(connection);
				await connection.query(end);
				return result;
			} catch (error) {
				try {
					await connection.query("ROLLBACK");
				} catch {
					// The connection is gone (or broken): the server rolled back for us.
					await this.#discard(connection);
				}
				throw this.#named(error);
			}
		});
	}

	write<T>(work: (transaction: EngineTransaction) => Promise<T>): Promise<T> {
		return this.#transaction("BEGIN", "COMMIT", (connection) =>
			work(transactionOn(connection, true)),
		);
	}

	read<T>(work: (reader: EngineReader) => Promise<T>): Promise<T> {
		return this.#transaction(
			"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			"ROLLBACK",
			(connection) => work(transactionOn(connection, false)),
		);
	}

	async query(sql: string): Promise<QueryResult> {
		const problem = readOnlyStatementProblem(sql);
		if (problem !== null) return { ok: false, refused: problem };
		const first = firstWord(sql);
		if (!readingStatements.has(first))
			return {
				ok: false,
				refused: `only a statement that reads (SELECT) can be run here, not ${first}`,
			};
		try {
			// READ ONLY: the server itself refuses any write the statement hides (a data-changing WITH).
			return await this.#transaction(
				"BEGIN READ ONLY",
				"ROLLBACK",
				async (connection) => {
					// Extended protocol: one statement only, whatever the text holds.
					const result = await connection.query({
						text: sql,
						rowMode: "array",
						queryMode: "extended",
					} as Pg.QueryArrayConfig);
					const columns = result.fields.map((field) => field.name);
					const rows = (result.rows as unknown[][]).map((values) =>
						Object.fromEntries(
							columns.map((column, index) => [column, values[index]]),
						),
					);
					return { ok: true as const, columns, rows };
				},
			);
		} catch (error) {
			const code = ((error as Error).cause as { code?: unknown } | undefined)
				?.code;
			// 25006: a write in a read-only transaction; 42…: the statement itself is wrong.
			if (code === "25006")
				return {
					ok: false,
					refused: `it would write: ${(error as Error).message}`,
				};
			if (typeof code === "string" && code.startsWith("42"))
				return { ok: false, refused: (error as Error).message };
			throw error;
		}
	}

	async close(): Promise<void> {
		await this.#serially(async () => {
			this.#closed = true;
			const connection = this.#connection;
			this.#connection = null;
			await connection?.end().catch(() => {});
		});
	}
}

function isFromDatabase(error: unknown): boolean {
	return (
		error instanceof loadPg().DatabaseError ||
		isConnectionFailure(error) ||
		tlsRefused(error)
	);
}

/** No answer from the server: the socket failed, or the server is shutting down or starting (SQLSTATE 57P01–57P03, 08…). */
function isConnectionFailure(error: unknown): boolean {
	if (error instanceof loadPg().DatabaseError)
		return /^(57P0[1-3]|08)/.test(error.code ?? "");
	const code = (error as { code?: unknown }).code;
	// Node's socket errors (ECONNREFUSED, ECONNRESET, …) and pg's own for a dropped connection.
	return (
		(typeof code === "string" && /^E[A-Z_]+$/.test(code)) ||
		/^Connection terminated|^timeout expired|Client has encountered a connection error/.test(
			(error as Error).message ?? "",
		)
	);
}

function firstWord(sql: string): string {
	const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ").trimStart();
	return (/^[A-Za-z]+/.exec(text)?.[0] ?? "").toUpperCase();
}

/** node-postgres loads only when a channel database is on a server: the TUI and SQLite stores never pay for it. */

function fromStored(type: ColumnType | undefined, value: unknown): ColumnValue {
	if (value === null || value === undefined) return null;
	if (type === "integer" || type === "decimal") return Number(value);
	return value as ColumnValue;
}

/** LIMIT NULL is PostgreSQL's "no limit" (SQLite's is -1, which PostgreSQL refuses). */
const noLimit = (limit: number | undefined) =>
	limit === undefined || limit < 0 ? null : limit;

/** How long the client waits for a point of sale's open transaction on a table it uploads. */
const settleTimeout = "30s";

/**
 * Waits for the point of sale's transactions on `table` that are under way
 * and holds new ones back until this transaction ends: SQLite has one
 * writer at a time, PostgreSQL many, and a row committed after the client
 * read past its counter would otherwise never be uploaded. (A POS must
 * take its counter in the statement that writes the row, or from a
 * counter row it updates: a sequence hands out values before the row
 * exists, which no lock can see.)
 */
async function settleWriters(connection: Pg.Client, table: string) {
	await connection.query(`SET LOCAL lock_timeout = '${settleTimeout}'`);
	await connection.query(`LOCK TABLE ${quoted(table)} IN SHARE MODE`);
}

/** The reader (and, in a write transaction, writer) of one transaction on `connection`. */
function transactionOn(
	connection: Pg.Client,
	writes: boolean,
): EngineTransaction {
	const values = async (sql: string, parameters: unknown[] = []) =>
		(
			await connection.query({
				text: sql,
				values: parameters,
				rowMode: "array",
			})
		).rows.map((row: unknown[]) => row[0]);
	const selectRows = async (
		table: string,
		schema: TableSchema,
		tail: string,
		parameters: unknown[],
	) => {
		const columns = Object.keys(schema.columns);
		const result = await connection.query({
			text: `SELECT ${columns.map(quoted).join(", ")} FROM ${quoted(table)} ${tail}`,
			values: parameters,
			rowMode: "array",
		});
		return (result.rows as unknown[][]).map((values) => {
			const row: TableRow = {};
			for (const [index, column] of columns.entries())
				row[column] = fromStored(schema.columns[column], values[index]);
			return row;
		});
	};
	return {
		tables: async () => {
			// The tables of the connection's schema (search_path), with their key columns in key order.
			const result = await connection.query<{
				table: string;
				column: string;
				type: string;
				key_position: number | null;
			}>(
				`SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, NULL) AS type,
				        array_position(i.indkey::int2[], a.attnum) AS key_position
				   FROM pg_class c
				   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				   LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
				  WHERE c.relnamespace = current_schema()::regnamespace
				    AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE '\\_%'
				  ORDER BY c.relname, a.attnum`,
			);
			const schemas = new Map<string, TableSchema>();
			const keys = new Map<string, [number, string][]>();
			for (const row of result.rows) {
				let schema = schemas.get(row.table);
				if (schema === undefined) {
					schema = { key: [], columns: {} };
					schemas.set(row.table, schema);
					keys.set(row.table, []);
				}
				schema.columns[row.column] = columnTypeOf(row.type);
				if (row.key_position !== null)
					keys.get(row.table)?.push([row.key_position, row.column]);
			}
			for (const [table, schema] of schemas)
				schema.key = (keys.get(table) ?? [])
					.sort(([a], [b]) => a - b)
					.map(([, column]) => column);
			return schemas;
		},
		record: async (name) =>
			((
				await values(`SELECT value FROM ${recordsTable} WHERE name = $1`, [
					name,
				])
			)[0] as string | undefined) ?? null,
		records: async () =>
			new Map(
				(
					await connection.query({
						text: `SELECT name, value FROM ${recordsTable}`,
						rowMode: "array",
					})
				).rows as [string, string][],
			),
		rows: (table, schema, options = {}) =>
			selectRows(
				table,
				schema,
				`ORDER BY ${schema.key.length > 0 ? schema.key.map(quoted).join(", ") : "ctid"} LIMIT $1 OFFSET $2`,
				[noLimit(options.limit), options.offset ?? 0],
			),
		rowsByCounter: async (table, schema, counter, range) => {
			if (writes) await settleWriters(connection, table);
			return selectRows(
				table,
				schema,
				`WHERE ${quoted(counter)} > $1${range.upTo === undefined ? "" : ` AND ${quoted(counter)} <= $3`} ORDER BY ${quoted(counter)} LIMIT $2`,
				range.upTo === undefined
					? [range.after, noLimit(range.limit)]
					: [range.after, noLimit(range.limit), range.upTo],
			);
		},
		highestCounter: async (table, counter) =>
			Number(
				(
					await values(
						`SELECT coalesce(max(${quoted(counter)}), 0) FROM ${quoted(table)}`,
					)
				)[0] ?? 0,
			),
		createTable: async (table, schema) => {
			const definitions = Object.entries(schema.columns).map(
				([column, type]) =>
					`${quoted(column)} ${declaredTypes[type]}${schema.key.includes(column) ? " NOT NULL" : ""}`,
			);
			definitions.push(`PRIMARY KEY (${schema.key.map(quoted).join(", ")})`);
			await connection.query(
				`CREATE TABLE ${quoted(table)} (${definitions.join(", ")})`,
			);
		},
		addColumn: async (table, column, type) => {
			await connection.query(
				`ALTER TABLE ${quoted(table)} ADD COLUMN ${quoted(column)} ${declaredTypes[type]}`,
			);
		},
		upsert: async (table, schema, rows) => {
			const columns = Object.keys(schema.columns);
			const others = columns.filter((column) => !schema.key.includes(column));
			const update =
				others.length === 0
					? "DO NOTHING"
					: `DO UPDATE SET ${others.map((column) => `${quoted(column)} = excluded.${quoted(column)}`).join(", ")}`;
			const arrays = columns.map(
				(column, index) =>
					`$${index + 1}::${declaredTypes[schema.columns[column] as ColumnType]}[]`,
			);
			const text = `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(", ")}) SELECT * FROM unnest(${arrays.join(", ")}) ON CONFLICT (${schema.key.map(quoted).join(", ")}) ${update}`;
			const distinct = lastRowPerKey(rows, schema.key);
			for (let start = 0; start < distinct.length; start += upsertBatchRows) {
				const batch = distinct.slice(start, start + upsertBatchRows);
				await connection.query({
					text,
					values: columns.map((column) =>
						batch.map((row) => row[column] ?? null),
					),
				});
			}
		},
		setRecord: async (name, value) => {
			await connection.query(
				`INSERT INTO ${recordsTable} (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
				[name, value],
			);
		},
	};
}

/**
 * One INSERT cannot touch a row twice: where a package has a key more than
 * once, the last row wins, as upserting the rows one by one would have it.
 */
function lastRowPerKey(rows: TableRow[], key: string[]): TableRow[] {
	const byKey = new Map<string, TableRow>();
	for (const row of rows) {
		const identity = JSON.stringify(key.map((column) => row[column]));
		byKey.delete(identity);
		byKey.set(identity, row);
	}
	return [...byKey.values()];
}
