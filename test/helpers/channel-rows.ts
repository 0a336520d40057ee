import { currentStore } from "../../source/client/channel-data/store-target.js";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import type { TableRow } from "../../source/domain/table-schema.js";

/**
 * A table's rows by their `key`, each without its null columns: the shape a
 * package's rows have, so a test can compare what it sent with what is there.
 */
export function rowsByKey(
	rows: readonly TableRow[],
): Record<string, Record<string, unknown>> {
	return Object.fromEntries(
		rows.map((row) => [
			String(row.key),
			Object.fromEntries(
				Object.entries(row).filter(([, value]) => value !== null),
			),
		]),
	);
}

/** Reads a table from a channel database's store (SQLite or PostgreSQL), as a second process would (the client may be running). */
export async function readStoreTable(
	dataFolder: string,
	table: string,
): Promise<Record<string, Record<string, unknown>>> {
	if ((await currentStore(dataFolder)) === null) return {};
	const store = new ChannelDataStore(dataFolder);
	await store.prepare();
	try {
		return rowsByKey(await store.readTable(table));
	} finally {
		await store.close();
	}
}

/** The download watermark of a data group in a channel database's data folder (0 before its client made a store). */
export async function appliedSequence(
	dataFolder: string,
	dataGroup: string,
): Promise<number> {
	// Opened before the client made it, the store would be a SQLite file the client then refuses.
	if ((await currentStore(dataFolder)) === null) return 0;
	const store = new ChannelDataStore(dataFolder);
	await store.prepare();
	try {
		return (await store.readProgress()).groups[dataGroup]?.sequence ?? 0;
	} finally {
		await store.close();
	}
}
