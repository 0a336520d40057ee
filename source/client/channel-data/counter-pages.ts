import type { TableRow, TableSchema } from "../../domain/table-schema.js";
import type { EngineReader } from "./engine.js";

/** A table the POS writes for upload: its name, schema and replication counter column. */
export type CounterTable = [name: string, schema: TableSchema, counter: string];

/** How many rows of an upload's read are handed on at a time, so its progress can be told as it reads. */
export const defaultPageRows = 1_000;

/**
 * Up to `limit` rows above `after` (and at most `upTo`), in counter order,
 * `onPage` told the rows read so far after each page. Rows that share a
 * counter value never go to two packages (the next batch starts above the
 * last counter taken): a value the limit would cut is left for the next
 * batch, unless it is the first, which is taken whole however many rows it
 * has. `cut` says rows were left above the limit.
 */
export async function rowsUpToWholeCounter(
	reader: EngineReader,
	[name, schema, counter]: CounterTable,
	range: { after: number; upTo?: number; limit: number },
	paging: { pageRows: number; onPage: (read: number) => Promise<void> },
): Promise<{ rows: TableRow[]; cut: boolean }> {
	const { after, upTo, limit } = range;
	const rows: TableRow[] = [];
	// One more than the limit shows whether the cut falls between rows of one counter value.
	const pages = reader.rowsByCounterInPages(
		name,
		schema,
		counter,
		{ after, upTo, limit: Number.isFinite(limit) ? limit + 1 : -1 },
		paging.pageRows,
	);
	for await (const page of pages) {
		rows.push(...page);
		await paging.onPage(Math.min(rows.length, limit));
	}
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
