import type { TableRow, TableSchema } from "../../domain/table-schema.js";
import type { EngineReader } from "./engine.js";

/** A table the POS writes for upload: its name, schema and replication counter column. */
export type CounterTable = [name: string, schema: TableSchema, counter: string];

/** How many rows one read of an upload takes from the channel database, so its progress can be told between reads. */
export const defaultPageRows = 1_000;

/**
 * Up to `limit` rows above `after` (and at most `upTo`), in counter order,
 * read `pageRows` at a time, `onPage` told the rows taken after each read.
 * Rows that share a counter value never go to two packages (the next batch
 * starts above the last counter taken): a value the limit would cut is
 * left for the next batch, unless it is the first, which is taken whole
 * however many rows it has. `cut` says rows were left above the limit.
 */
export async function rowsUpToWholeCounter(
	reader: EngineReader,
	[name, schema, counter]: CounterTable,
	range: { after: number; upTo?: number; limit: number },
	paging: { pageRows: number; onPage: (taken: number) => Promise<void> },
): Promise<{ rows: TableRow[]; cut: boolean }> {
	const rows: TableRow[] = [];
	const read = (after: number, limit: number, upTo = range.upTo) =>
		reader.rowsByCounter(name, schema, counter, { after, upTo, limit });
	const take = async (page: TableRow[]) => {
		if (page.length === 0) return;
		rows.push(...page);
		await paging.onPage(rows.length);
	};
	for (let after = range.after; ; ) {
		const room = Math.max(0, range.limit - rows.length);
		const pageLimit = Math.min(paging.pageRows, room);
		// One more than the page shows whether the page ends between two counter values.
		const page = await read(after, pageLimit + 1);
		if (page.length <= pageLimit) {
			await take(page);
			return { rows, cut: false };
		}
		const last = pageLimit > 0 ? page[pageLimit - 1]?.[counter] : undefined;
		const whole =
			page[pageLimit]?.[counter] !== last
				? page.slice(0, pageLimit)
				: page.slice(0, pageLimit).filter((row) => row[counter] !== last);
		if (whole.length > 0) {
			await take(whole);
			after = Number(whole.at(-1)?.[counter]);
			continue;
		}
		// The page holds one counter value only: it goes whole, or waits for the next batch.
		if (room === 0) return { rows, cut: true };
		const value = Number(page[0]?.[counter]);
		const all = await read(after, -1, value);
		if (rows.length > 0 && rows.length + all.length > range.limit)
			return { rows, cut: true };
		await take(all);
		after = value;
	}
}
