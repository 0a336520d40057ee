// How the five column types are declared, checked and stored in SQLite.
import type { ColumnType, ColumnValue } from "../../domain/table-schema.js";
import { quotedName } from "./sql-shapes.js";

const declaredTypes: Record<ColumnType, string> = {
	text: "TEXT",
	integer: "INTEGER",
	decimal: "DECIMAL",
	boolean: "BOOLEAN",
	timestamp: "TIMESTAMP",
};

/** Keeps writers to the file honest (a POS writing SQL too), whatever the client checked. */
function typeCheck(column: string, type: ColumnType): string {
	const name = quotedName(column);
	switch (type) {
		case "text":
		case "timestamp":
			return `CHECK (typeof(${name}) IN ('text', 'null'))`;
		case "integer":
			return `CHECK (typeof(${name}) IN ('integer', 'null'))`;
		case "decimal":
			return `CHECK (typeof(${name}) IN ('integer', 'real', 'null'))`;
		case "boolean":
			return `CHECK (${name} IN (0, 1))`;
		default: {
			const unknownType: never = type;
			throw new Error(`unknown column type ${String(unknownType)}`);
		}
	}
}

export function columnDefinition(
	column: string,
	type: ColumnType,
	key: boolean,
) {
	return `${quotedName(column)} ${declaredTypes[type]}${key ? " NOT NULL" : ""} ${typeCheck(column, type)}`;
}

/** A column a POS created by hand, by SQLite's own affinity rules, in the five types. */
export function columnTypeOf(declared: string): ColumnType {
	const type = declared.toUpperCase();
	if (type === "BOOLEAN" || type === "BOOL") return "boolean";
	if (type.includes("TIMESTAMP") || type.includes("DATE")) return "timestamp";
	if (type.includes("INT")) return "integer";
	if (/CHAR|CLOB|TEXT/.test(type) || type === "") return "text";
	return "decimal";
}

export function toStored(
	type: ColumnType | undefined,
	value: ColumnValue,
): unknown {
	if (type === "boolean" && typeof value === "boolean") return value ? 1 : 0;
	return value;
}

export function fromStored(
	type: ColumnType | undefined,
	value: unknown,
): ColumnValue {
	if (value === null || value === undefined) return null;
	if (type === "boolean") return value === 1 || value === true;
	if (typeof value === "bigint") return Number(value);
	return value as ColumnValue;
}
