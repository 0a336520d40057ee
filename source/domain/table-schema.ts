/**
 * The tables of a channel database as data packages describe them: a name,
 * the key column(s), and typed columns. Pure: the client checks rows and
 * plans table changes here, and each database engine only carries them out.
 */
export const columnTypes = [
	"text",
	"integer",
	"decimal",
	"boolean",
	"timestamp",
] as const;
export type ColumnType = (typeof columnTypes)[number];

export type TableSchema = {
	/** The key column(s): a row is upserted by the values of these. */
	key: string[];
	/** Every column, key columns included, by name. */
	columns: Record<string, ColumnType>;
};

/** Table name → schema, as a package (format 2) carries them next to its rows. */
export type PackageSchemas = Record<string, TableSchema>;

/** What one column holds in a row, once checked against its type. */
export type ColumnValue = string | number | boolean | null;
export type TableRow = Record<string, ColumnValue>;

/** Letters, digits and "_", starting with a letter: safe as a table or column name in every engine. */
const namePattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function nameProblem(
	what: "table" | "column",
	name: string,
): string | null {
	return namePattern.test(name)
		? null
		: `${what} name ${JSON.stringify(name.slice(0, 70))} is not allowed (letters, digits and "_", starting with a letter, at most 64)`;
}

/** The column today's packages key rows by, when the input names no other. */
export const defaultKeyColumn = "key";

/** An ISO 8601 date and time with a zone, as `toISOString()` writes it (the zone may also be an offset). */
const timestampPattern =
	/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Why `value` cannot go in a column of `type`, or null. Null fits every column but a key. */
export function valueProblem(type: ColumnType, value: unknown): string | null {
	if (value === null) return null;
	switch (type) {
		case "text":
			return typeof value === "string" ? null : `must be text`;
		case "integer":
			return Number.isSafeInteger(value) ? null : `must be a whole number`;
		case "decimal":
			return typeof value === "number" && Number.isFinite(value)
				? null
				: `must be a number`;
		case "boolean":
			return typeof value === "boolean" ? null : `must be true or false`;
		case "timestamp":
			return typeof value === "string" &&
				timestampPattern.test(value) &&
				!Number.isNaN(Date.parse(value))
				? null
				: `must be a date and time such as 2026-01-31T09:30:00Z`;
		default: {
			const unknownType: never = type;
			return `has an unknown type ${String(unknownType)}`;
		}
	}
}

const describe = (value: unknown) =>
	JSON.stringify(value)?.slice(0, 60) ?? String(value);

/** The type a single value suggests, or null for null (it fits any column). */
function typeOfValue(value: unknown): ColumnType | "unsupported" | null {
	if (value === null) return null;
	if (typeof value === "boolean") return "boolean";
	if (typeof value === "number")
		return Number.isSafeInteger(value)
			? "integer"
			: Number.isFinite(value)
				? "decimal"
				: "unsupported";
	if (typeof value === "string")
		return valueProblem("timestamp", value) === null ? "timestamp" : "text";
	return "unsupported";
}

/** The narrowest type both fit, or null when they cannot share a column (text and a number). */
function widen(a: ColumnType, b: ColumnType): ColumnType | null {
	if (a === b) return a;
	const pair = new Set([a, b]);
	if (pair.has("integer") && pair.has("decimal")) return "decimal";
	if (pair.has("text") && pair.has("timestamp")) return "text";
	return null;
}

export type SchemaResult =
	| { ok: true; schema: TableSchema }
	| { ok: false; problem: string };

/**
 * Infers a table's schema from its rows: every column any row has, typed by
 * the values (whole numbers → integer, other numbers → decimal, ISO dates →
 * timestamp, true/false → boolean, anything else text; a column only ever
 * null is text). Rows whose values cannot share one column type are refused,
 * naming the row, so 1 and "1" never become the same key.
 */
export function inferSchema(
	table: string,
	rows: readonly Record<string, unknown>[],
	key: readonly string[] = [defaultKeyColumn],
): SchemaResult {
	const types = new Map<string, ColumnType | null>();
	for (const column of key) types.set(column, null);
	const problem = (message: string) => ({
		ok: false as const,
		problem: `table ${table}, ${message}`,
	});
	for (const [index, row] of rows.entries()) {
		for (const [column, value] of Object.entries(row)) {
			const named = nameProblem("column", column);
			if (named !== null) return problem(`row ${index + 1}: ${named}`);
			const found = typeOfValue(value);
			if (found === "unsupported")
				return problem(
					`column ${column}, row ${index + 1}: ${describe(value)} is not text, a number, true/false, a date or null`,
				);
			const known = types.get(column) ?? null;
			if (found === null || known === found) {
				if (!types.has(column)) types.set(column, known);
				continue;
			}
			const widened = known === null ? found : widen(known, found);
			if (widened === null)
				return problem(
					`column ${column}, row ${index + 1}: ${describe(value)} is ${found} where earlier rows have ${known}`,
				);
			types.set(column, widened);
		}
	}
	const columns: Record<string, ColumnType> = {};
	for (const [column, type] of types) columns[column] = type ?? "text";
	const duplicate = caseDuplicate(Object.keys(columns));
	if (duplicate !== null) return problem(duplicate);
	return { ok: true, schema: { key: [...key], columns } };
}

/** SQL names ignore case: "Price" and "price" would be one column. */
function caseDuplicate(names: string[]): string | null {
	const seen = new Map<string, string>();
	for (const name of names) {
		const other = seen.get(name.toLowerCase());
		if (other !== undefined)
			return `columns ${other} and ${name} differ only in case`;
		seen.set(name.toLowerCase(), name);
	}
	return null;
}

/** Why a schema as a package states it is not usable, or null. */
export function schemaProblem(table: string, schema: unknown): string | null {
	const where = `table ${table}`;
	if (typeof schema !== "object" || schema === null || Array.isArray(schema))
		return `${where}: its schema must be an object {"key": [...], "columns": {...}}`;
	const { key, columns } = schema as Record<string, unknown>;
	if (typeof columns !== "object" || columns === null || Array.isArray(columns))
		return `${where}: "columns" must map column names to types`;
	for (const [column, type] of Object.entries(columns)) {
		const named = nameProblem("column", column);
		if (named !== null) return `${where}: ${named}`;
		if (!columnTypes.includes(type as ColumnType))
			return `${where}, column ${column}: type ${describe(type)} is not one of ${columnTypes.join(", ")}`;
	}
	const duplicate = caseDuplicate(Object.keys(columns));
	if (duplicate !== null) return `${where}: ${duplicate}`;
	if (
		!Array.isArray(key) ||
		key.length === 0 ||
		!key.every((column) => typeof column === "string")
	)
		return `${where}: "key" must list the key column(s)`;
	for (const column of key)
		if (!Object.hasOwn(columns, column))
			return `${where}: key column ${column} is not among its columns`;
	return null;
}

/**
 * Checks one row against its table's schema: every key column has a value,
 * every column is known and holds its type. The message names table,
 * column and row (1-based, in package order).
 */
export function rowProblem(
	table: string,
	schema: TableSchema,
	row: unknown,
	index: number,
): string | null {
	const where = `table ${table}, row ${index + 1}`;
	if (typeof row !== "object" || row === null || Array.isArray(row))
		return `${where}: must be an object`;
	const values = row as Record<string, unknown>;
	for (const column of schema.key) {
		const value = values[column];
		if (value === undefined || value === null || value === "")
			return `${where}: key column ${column} has no value`;
	}
	for (const [column, value] of Object.entries(values)) {
		const type = schema.columns[column];
		if (type === undefined)
			return `${where}: column ${column} is not in the table's schema`;
		const problem = valueProblem(type, value);
		if (problem !== null)
			return `table ${table}, column ${column}, row ${index + 1}: ${describe(value)} ${problem} (the column is ${type})`;
	}
	return null;
}

/** What applying `incoming` to a table that is `existing` (or missing) takes. */
export type TablePlan =
	| {
			ok: true;
			create: boolean;
			addColumns: [string, ColumnType][];
			/** The table as it will be: rows are checked against these types. */
			schema: TableSchema;
	  }
	| { ok: false; problem: string };

/**
 * A missing table is created and a missing column added. A column the
 * table already has keeps its type: the rows are then checked against it,
 * so a conflict names the row. A different key does not fit at all.
 */
export function planTable(
	table: string,
	existing: TableSchema | null,
	incoming: TableSchema,
): TablePlan {
	if (existing === null)
		return { ok: true, create: true, addColumns: [], schema: incoming };
	const sameKey =
		existing.key.length === incoming.key.length &&
		existing.key.every(
			(column, index) =>
				column.toLowerCase() === incoming.key[index]?.toLowerCase(),
		);
	if (!sameKey)
		return {
			ok: false,
			problem: `table ${table}: the package keys rows by ${incoming.key.join(", ")}, the table by ${existing.key.join(", ")}`,
		};
	const present = new Set(
		Object.keys(existing.columns).map((name) => name.toLowerCase()),
	);
	const addColumns = Object.entries(incoming.columns).filter(
		([column]) => !present.has(column.toLowerCase()),
	);
	const columns = { ...existing.columns };
	// A package may spell an existing column in another case: SQL names ignore it.
	for (const [column] of Object.entries(incoming.columns)) {
		const same = Object.keys(existing.columns).find(
			(name) => name.toLowerCase() === column.toLowerCase(),
		);
		if (same !== undefined && same !== column)
			columns[column] = existing.columns[same] as ColumnType;
	}
	for (const [column, type] of addColumns) columns[column] = type;
	return {
		ok: true,
		create: false,
		addColumns,
		schema: { key: existing.key, columns },
	};
}
