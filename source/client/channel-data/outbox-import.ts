import type { PackageRow, PackageTables } from "../../domain/package-format.js";
import type { PackageSchemas } from "../../domain/table-schema.js";
import { applyTables } from "./apply-tables.js";
import type { ChannelDatabaseEngine } from "./engine.js";
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
	content: { tables: PackageTables; schemas?: PackageSchemas },
): Promise<void> {
	return engine.write(async (transaction) => {
		const existing = await transaction.tables();
		const counted: PackageTables = {};
		for (const [table, rows] of Object.entries(content.tables)) {
			const schema = [...existing].find(
				([name]) => name.toLowerCase() === table.toLowerCase(),
			);
			const counter = Object.keys(schema?.[1].columns ?? {}).find(
				(column) => column.toUpperCase() === replicationCounter,
			);
			let next =
				schema !== undefined && counter !== undefined
					? (await transaction.highestCounter(schema[0], counter)) + 1
					: 1;
			const column = counter ?? replicationCounter;
			counted[table] = rows.map(
				(row): PackageRow => ({ ...row, [column]: next++ }),
			);
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
		const journal = await readUploadJournal(transaction);
		await writeUploadJournal(transaction, {
			...journal,
			importedSources: [...journal.importedSources, file.name],
			unmoved: { ...journal.unmoved, [file.name]: file.checksum },
		});
	});
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
