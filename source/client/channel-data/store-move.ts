import type { TableRow, TableSchema } from "../../domain/table-schema.js";
import { countOf } from "../../domain/text.js";
import type { ChannelDatabaseEngine, EngineReader } from "./engine.js";
import {
	type ConfiguredStore,
	openTarget,
	type RetailServerFields,
	writeStoreMarker,
} from "./store-target.js";

/** Rows read and written at a time: a big table moves without being held in memory whole. */
const pageRows = 10_000;

/** A table's rows in key order, a page at a time, until a page comes back empty. */
async function* pagesOf(
	reader: EngineReader,
	table: string,
	schema: TableSchema,
): AsyncGenerator<TableRow[]> {
	for (let offset = 0; ; ) {
		const page = await reader.rows(table, schema, { offset, limit: pageRows });
		if (page.length === 0) return;
		yield page;
		offset += page.length;
	}
}

export type MovedStore = { tables: number; rows: number; records: number };

type Located = Extract<ConfiguredStore, { ok: true }>;

/**
 * Copies a channel database's data to another store: every table (schema
 * and rows), and the client's records (watermarks, upload counters), read
 * from one snapshot and written in one transaction, which commits only when
 * the row count of every table there equals the source's. A target that
 * already holds a channel database's tables or records is refused. The
 * source is left as it was; the store marker then names the target.
 */
export async function moveStore(
	dataFolder: string,
	from: Located,
	to: Located & { fields: RetailServerFields },
): Promise<MovedStore> {
	const source = await openTarget(from.target, from.location);
	let target: ChannelDatabaseEngine;
	try {
		target = await openTarget(to.target, to.location);
	} catch (error) {
		await source.close();
		throw error;
	}
	try {
		const moved = await source.read((reader) =>
			copyInto(reader, target, to.location),
		);
		await writeStoreMarker(dataFolder, {
			engine: to.target.engine,
			location: to.location,
			...to.fields,
		});
		return moved;
	} finally {
		await source.close();
		await target.close();
	}
}

async function copyInto(
	reader: EngineReader,
	target: ChannelDatabaseEngine,
	location: string,
): Promise<MovedStore> {
	const tables = await reader.tables();
	const records = await reader.records();
	for (const [table, schema] of tables)
		if (schema.key.length === 0)
			throw new Error(
				`table ${table} has no key column: it cannot be moved by key (give it a primary key first)`,
			);
	return target.write(async (transaction) => {
		const there = await transaction.tables();
		const theirRecords = await transaction.records();
		if (there.size > 0 || theirRecords.size > 0)
			throw new Error(
				`${location} already holds ${there.size > 0 ? `tables (${[...there.keys()].slice(0, 5).join(", ")})` : "a channel database's records"}: nothing was moved; move to an empty database`,
			);
		let rows = 0;
		for (const [table, schema] of tables) {
			await transaction.createTable(table, schema);
			let copied = 0;
			for await (const page of pagesOf(reader, table, schema)) {
				await transaction.upsert(table, schema, page);
				copied += page.length;
			}
			let counted = 0;
			for await (const page of pagesOf(transaction, table, schema))
				counted += page.length;
			if (counted !== copied)
				throw new Error(
					`table ${table}: ${countOf(copied, "row")} read but ${countOf(counted, "row")} in ${location}: nothing was moved`,
				);
			rows += copied;
		}
		for (const [name, value] of records)
			await transaction.setRecord(name, value);
		return { tables: tables.size, rows, records: records.size };
	});
}
