import type Pg from "pg";
import type {
	ColumnType,
	ColumnValue,
	TableRow,
	TableSchema,
} from "../../domain/table-schema.js";
import type { EngineTransaction } from "./engine.js";
import {
	counterRangeTail,
	createTableStatement,
	highestCounterStatement,
	keyOrderPage,
	quotedName,
	recordStatements,
	rowsFrom,
	type StatementTail,
	selectColumns,
	upsertStatement,
} from "./sql-shapes.js";

/** Rows per INSERT … SELECT FROM unnest(…): one array parameter per column, whatever the row count. */
const upsertBatchRows = 5_000;

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

function fromStored(type: ColumnType | undefined, value: unknown): ColumnValue {
	if (value === null || value === undefined) return null;
	if (type === "integer" || type === "decimal") return Number(value);
	return value as ColumnValue;
}

/** LIMIT NULL is PostgreSQL's "no limit" (SQLite's is -1, which PostgreSQL refuses). */
const noLimit = null;

const placeholder = (position: number) => `$${position}`;
const records = recordStatements(placeholder);

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
	await connection.query(`LOCK TABLE ${quotedName(table)} IN SHARE MODE`);
}

/** The reader (and, in a write transaction, writer) of one transaction on `connection`. */
export function transactionOn(
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
		{ tail, parameters }: StatementTail,
	) => {
		const result = await connection.query({
			text: selectColumns(table, schema, tail),
			values: parameters,
			rowMode: "array",
		});
		return rowsFrom(schema, result.rows as unknown[][], fromStored);
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
			((await values(records.one, [name]))[0] as string | undefined) ?? null,
		records: async () =>
			new Map(
				(await connection.query({ text: records.all, rowMode: "array" }))
					.rows as [string, string][],
			),
		rows: (table, schema, options = {}) =>
			selectRows(
				table,
				schema,
				keyOrderPage(schema, "ctid", placeholder, noLimit, options),
			),
		rowsByCounter: async (table, schema, counter, range) => {
			if (writes) await settleWriters(connection, table);
			return selectRows(
				table,
				schema,
				counterRangeTail(counter, range, placeholder, noLimit),
			);
		},
		// One reply holds every row: the pages are handed on once it is in.
		async *rowsByCounterInPages(table, schema, counter, range, pageRows) {
			const rows = await this.rowsByCounter(table, schema, counter, range);
			for (let start = 0; start < rows.length; start += pageRows)
				yield rows.slice(start, start + pageRows);
		},
		highestCounter: async (table, counter) =>
			Number((await values(highestCounterStatement(table, counter)))[0] ?? 0),
		createTable: async (table, schema) => {
			await connection.query(
				createTableStatement(
					table,
					schema,
					(column, type, inKey) =>
						`${quotedName(column)} ${declaredTypes[type]}${inKey ? " NOT NULL" : ""}`,
				),
			);
		},
		addColumn: async (table, column, type) => {
			await connection.query(
				`ALTER TABLE ${quotedName(table)} ADD COLUMN ${quotedName(column)} ${declaredTypes[type]}`,
			);
		},
		upsert: async (table, schema, rows) => {
			const columns = Object.keys(schema.columns);
			const arrays = columns.map(
				(column, index) =>
					`$${index + 1}::${declaredTypes[schema.columns[column] as ColumnType]}[]`,
			);
			const text = upsertStatement(
				table,
				schema,
				`SELECT * FROM unnest(${arrays.join(", ")})`,
			);
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
			await connection.query(records.set, [name, value]);
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
