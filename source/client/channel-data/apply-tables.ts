import type { PackageTables } from "../../domain/package-format.js";
import { tablesProblem } from "../../domain/package-format.js";
import {
	type ColumnType,
	inferSchema,
	type PackageSchemas,
	planTable,
	rowProblem,
	type TableRow,
	type TableSchema,
} from "../../domain/table-schema.js";
import type { EngineTransaction } from "./engine.js";

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
