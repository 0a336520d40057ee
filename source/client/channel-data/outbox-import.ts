import type { PackageRow, PackageTables } from "../../domain/package-format.js";
import type { PackageSchemas } from "../../domain/table-schema.js";
import { applyTables } from "./apply-tables.js";
import type { ChannelDatabaseEngine, EngineTransaction } from "./engine.js";
import {
	readUploadJournal,
	replicationCounter,
	writeUploadJournal,
} from "./upload-rows.js";

/**
 * Imports one outbox file (what a POS that can only write files puts in
 * outbox/) into the channel database in one transaction: its rows are
 * upserted like a package's, each given the next replication counter of
 * its table so it uploads like a row the POS wrote with SQL. The file is
 * remembered by name and checksum until it has moved to outbox/sent/, so a
 * kill between the commit and the move never imports it twice.
 */
export function importOutboxFile(
	engine: ChannelDatabaseEngine,
	file: { name: string; checksum: string },
	content: OutboxContent,
): Promise<void> {
	return engine.write(async (transaction) => {
		await importOutboxRows(transaction, content);
		const journal = await readUploadJournal(transaction);
		await writeUploadJournal(transaction, {
			...journal,
			importedSources: [...journal.importedSources, file.name],
			unmoved: { ...journal.unmoved, [file.name]: file.checksum },
		});
	});
}

export type OutboxContent = {
	tables: PackageTables;
	schemas?: PackageSchemas;
};

/**
 * Upserts an outbox file's rows inside `transaction`, each with the next
 * replication counter of its table. Returns, per table, the counters given.
 */
export async function importOutboxRows(
	transaction: EngineTransaction,
	content: OutboxContent,
): Promise<Record<string, { after: number; upTo: number }>> {
	const existing = await transaction.tables();
	const counted: PackageTables = {};
	const given: Record<string, { after: number; upTo: number }> = {};
	for (const [table, rows] of Object.entries(content.tables)) {
		const schema = [...existing].find(
			([name]) => name.toLowerCase() === table.toLowerCase(),
		);
		const counter = Object.keys(schema?.[1].columns ?? {}).find(
			(column) => column.toUpperCase() === replicationCounter,
		);
		const after =
			schema !== undefined && counter !== undefined
				? await transaction.highestCounter(schema[0], counter)
				: 0;
		const column = counter ?? replicationCounter;
		let next = after + 1;
		counted[table] = rows.map(
			(row): PackageRow => ({ ...row, [column]: next++ }),
		);
		if (rows.length > 0)
			given[schema?.[0] ?? table] = { after, upTo: after + rows.length };
	}
	const schemas =
		content.schemas === undefined
			? undefined
			: Object.fromEntries(
					Object.entries(content.schemas).map(([table, schema]) => [
						table,
						{
							...schema,
							columns: { ...schema.columns, [replicationCounter]: "integer" },
						},
					]),
				);
	await applyTables(transaction, counted, schemas as PackageSchemas);
	return given;
}

/** Whether this very file (same name, same checksum) was imported and only its move to sent/ is left. */
export async function importedButNotMoved(
	engine: ChannelDatabaseEngine,
	file: { name: string; checksum: string },
): Promise<boolean> {
	const journal = await engine.read(readUploadJournal);
	return journal.unmoved[file.name] === file.checksum;
}

/** The file is in outbox/sent/: nothing more to remember about it. */
export function forgetMovedFile(
	engine: ChannelDatabaseEngine,
	name: string,
): Promise<void> {
	return engine.write(async (transaction) => {
		const journal = await readUploadJournal(transaction);
		const { [name]: _moved, ...unmoved } = journal.unmoved;
		await writeUploadJournal(transaction, { ...journal, unmoved });
	});
}
