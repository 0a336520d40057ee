import type {
	ColumnType,
	ColumnValue,
	TableRow,
	TableSchema,
} from "../../domain/table-schema.js";
import type { CounterRange } from "./engine.js";

/**
 * The statements both engines write alike: double-quoted names, upserts by
 * the table's key, the client's records table. Each engine passes its own
 * placeholders ("?" for SQLite, "$n" for PostgreSQL) and value conversions.
 */

/** The client's own records (watermarks, upload counters): a name no package table can have. */
export const recordsTable = "_cdx_client_records";

/** A table or column name quoted for either engine (a POS may have chosen any). */
export const quotedName = (name: string) => `"${name.replaceAll('"', '""')}"`;

const nameList = (names: readonly string[]) => names.map(quotedName).join(", ");

/** Placeholder n (1-based) in the engine's style. */
export type Placeholder = (position: number) => string;

/** SELECT of a table's columns in the schema's order, then `tail` (WHERE, ORDER BY, LIMIT). */
export function selectColumns(
	table: string,
	schema: TableSchema,
	tail: string,
): string {
	return `SELECT ${nameList(Object.keys(schema.columns))} FROM ${quotedName(table)} ${tail}`;
}

/** Rows read as arrays in the schema's column order, each value as the engine reads it back. */
export function rowsFrom(
	schema: TableSchema,
	rows: unknown[][],
	fromStored: (type: ColumnType | undefined, value: unknown) => ColumnValue,
): TableRow[] {
	const columns = Object.keys(schema.columns);
	return rows.map((values) => {
		const row: TableRow = {};
		for (const [index, column] of columns.entries())
			row[column] = fromStored(schema.columns[column], values[index]);
		return row;
	});
}

/** What follows `SELECT … FROM table` in a read, and the values of its placeholders. */
export type StatementTail = { tail: string; parameters: unknown[] };

/** The rows of a table after counter value `after` (up to `upTo`, when given), by counter, at most `limit`. */
export function counterRangeTail(
	counter: string,
	range: CounterRange,
	placeholder: Placeholder,
	noLimit: unknown,
): StatementTail {
	const column = quotedName(counter);
	const upTo =
		range.upTo === undefined ? "" : ` AND ${column} <= ${placeholder(2)}`;
	const limit = placeholder(range.upTo === undefined ? 2 : 3);
	return {
		tail: `WHERE ${column} > ${placeholder(1)}${upTo} ORDER BY ${column} LIMIT ${limit}`,
		parameters: [
			range.after,
			...(range.upTo === undefined ? [] : [range.upTo]),
			range.limit < 0 ? noLimit : range.limit,
		],
	};
}

/** A page of all rows in key order (`physical` where there is no key); no limit, or a negative one, reads to the end. */
export function keyOrderPage(
	schema: TableSchema,
	physical: string,
	placeholder: Placeholder,
	noLimit: unknown,
	page: { offset?: number; limit?: number },
): StatementTail {
	const order =
		schema.key.length > 0 ? nameList(schema.key) : quotedName(physical);
	return {
		tail: `ORDER BY ${order} LIMIT ${placeholder(1)} OFFSET ${placeholder(2)}`,
		parameters: [
			page.limit === undefined || page.limit < 0 ? noLimit : page.limit,
			page.offset ?? 0,
		],
	};
}

export function highestCounterStatement(table: string, counter: string) {
	return `SELECT coalesce(max(${quotedName(counter)}), 0) FROM ${quotedName(table)}`;
}

/** CREATE TABLE with the engine's column definitions and the schema's key. */
export function createTableStatement(
	table: string,
	schema: TableSchema,
	definition: (column: string, type: ColumnType, inKey: boolean) => string,
): string {
	const definitions = Object.entries(schema.columns).map(([column, type]) =>
		definition(column, type, schema.key.includes(column)),
	);
	definitions.push(`PRIMARY KEY (${nameList(schema.key)})`);
	return `CREATE TABLE ${quotedName(table)} (${definitions.join(", ")})`;
}

/** INSERT INTO the table's columns, `rows` (the engine's VALUES or SELECT), then upsert by key: the package's values win. */
export function upsertStatement(
	table: string,
	schema: TableSchema,
	rows: string,
): string {
	const columns = Object.keys(schema.columns);
	const others = columns.filter((column) => !schema.key.includes(column));
	const update =
		others.length === 0
			? "DO NOTHING"
			: `DO UPDATE SET ${others.map((column) => `${quotedName(column)} = excluded.${quotedName(column)}`).join(", ")}`;
	return `INSERT INTO ${quotedName(table)} (${nameList(columns)}) ${rows} ON CONFLICT (${nameList(schema.key)}) ${update}`;
}

/** The statements on the client's records table. */
export function recordStatements(placeholder: Placeholder) {
	return {
		one: `SELECT value FROM ${recordsTable} WHERE name = ${placeholder(1)}`,
		all: `SELECT name, value FROM ${recordsTable}`,
		set: `INSERT INTO ${recordsTable} (name, value) VALUES (${placeholder(1)}, ${placeholder(2)}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
	};
}
