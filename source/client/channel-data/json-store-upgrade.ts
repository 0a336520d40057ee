import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { isObject, parseJson } from "../../domain/json-text.js";
import type { PackageRow } from "../../domain/package-format.js";
import { inferSchema } from "../../domain/table-schema.js";
import { countOf } from "../../domain/text.js";
import { isMissing, syncFolder } from "../files.js";
import { applyTables } from "./apply-tables.js";
import type { ChannelDatabaseEngine } from "./engine.js";
import { importOutboxRows, type OutboxContent } from "./outbox-import.js";
import { readRecord } from "./records.js";
import {
	emptyUploadJournal,
	type PendingUpload,
	readUploadJournal,
	writeUploadJournal,
} from "./upload-rows.js";

/** The files of the JSON data store that came before the channel database, in its data folder. */
const oldFiles = ["tables", "applied.json", "upload.json"];
/** Where they go once imported: kept, never deleted, for the operator to remove. */
export const backupFolderName = "json-store-backup";
const upgradedRecord = "json-store-imported";
const downloadRecord = "download-progress";

type OldPending = {
	sequence: number;
	createdAt: string;
	dataGroup: string;
	sources: string[];
};

async function presentOldFiles(root: string): Promise<string[]> {
	const present: string[] = [];
	for (const name of oldFiles) {
		try {
			await lstat(join(root, name));
			present.push(name);
		} catch (error) {
			if (!isMissing(error)) throw error;
		}
	}
	return present;
}

async function readJsonObject(file: string): Promise<Record<string, unknown>> {
	const parsed = parseJson(await readFile(file, "utf8"));
	if (!parsed.ok || !isObject(parsed.value))
		throw new Error(
			`${file}: cannot be read as the JSON data store's file (${parsed.ok ? "not an object" : parsed.problem}); it was left as it is, and nothing was imported`,
		);
	return parsed.value;
}

async function readIfPresent(file: string) {
	try {
		return await readJsonObject(file);
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
}

/**
 * The first start after the channel database replaced the JSON data store:
 * every table, the download watermarks, the upload watermark and a pending
 * upload batch are imported into the database in one transaction, so a
 * kill leaves all of it imported or none. Then the old files move to
 * json-store-backup/ (a kill before that only means the move is done at the
 * next start). The outbox folder stays where it is.
 */
export async function upgradeJsonStore(
	root: string,
	engine: ChannelDatabaseEngine,
	log: (message: string) => void,
): Promise<void> {
	const present = await presentOldFiles(root);
	if (present.length === 0) return;
	const done = await engine.read((reader) =>
		readRecord<{ at: string }>(reader, upgradedRecord),
	);
	if (done === null) {
		const imported = await importOldStore(root, engine);
		log(
			`imported the JSON data store of ${root} into ${engine.location}: ${countOf(imported.tables, "table")}, ${countOf(imported.rows, "row")}${imported.pending ? `, upload package ${imported.pending} still to finish` : ""}${imported.asText.length > 0 ? `; kept as text, as their values were of mixed types: ${imported.asText.join(", ")}` : ""}`,
		);
	}
	const backup = join(root, backupFolderName);
	await mkdir(backup, { recursive: true, mode: 0o700 });
	for (const name of present)
		await rename(join(root, name), join(backup, name));
	await syncFolder(root);
	log(`the JSON data store's files are kept in ${backup}`);
}

async function importOldStore(root: string, engine: ChannelDatabaseEngine) {
	const tables: Record<string, PackageRow[]> = {};
	const tablesFolder = join(root, "tables");
	const names = await readdir(tablesFolder).catch((error) => {
		if (isMissing(error)) return [] as string[];
		throw error;
	});
	const asText: string[] = [];
	for (const name of names.filter((file) => file.endsWith(".json")).sort()) {
		const table = name.slice(0, -".json".length);
		const rows = Object.values(
			await readJsonObject(join(tablesFolder, name)),
		) as PackageRow[];
		tables[table] = typedRows(table, rows, asText);
	}
	const progress = await readIfPresent(join(root, "applied.json"));
	const upload = await readIfPresent(join(root, "upload.json"));
	const oldPending = (upload?.pending ?? null) as OldPending | null;
	const pendingSources = await readPendingSources(root, oldPending);

	await engine.write(async (transaction) => {
		await applyTables(transaction, tables, undefined);
		if (progress !== null)
			await transaction.setRecord(downloadRecord, JSON.stringify(progress));
		const journal = await readUploadJournal(transaction);
		const lastSequence =
			typeof upload?.lastSequence === "number" ? upload.lastSequence : 0;
		let pending: PendingUpload | null = null;
		if (oldPending !== null) {
			// The batch's rows go into tables with counters, and the same package is finished from them.
			const ranges: PendingUpload["ranges"] = {};
			for (const source of pendingSources)
				for (const [table, range] of Object.entries(
					await importOutboxRows(transaction, source.content),
				))
					ranges[table] = {
						after: ranges[table]?.after ?? range.after,
						upTo: range.upTo,
					};
			pending = { ...oldPending, ranges };
		}
		await writeUploadJournal(transaction, {
			...emptyUploadJournal(),
			...journal,
			lastSequence,
			pending,
			unmoved: Object.fromEntries(
				pendingSources
					.filter((source) => source.inOutbox)
					.map((source) => [source.name, source.checksum]),
			),
		});
		await transaction.setRecord(
			upgradedRecord,
			JSON.stringify({ at: new Date().toISOString() }),
		);
	});
	return {
		asText,
		tables: Object.keys(tables).length,
		rows: Object.values(tables).reduce((sum, rows) => sum + rows.length, 0),
		pending: oldPending?.sequence ?? null,
	};
}

/**
 * The JSON store kept any value in any row; a column whose values cannot
 * share one type (numbers and text, nested objects) is kept as text, each
 * value as the JSON store showed it, so no row is lost.
 */
function typedRows(
	table: string,
	rows: PackageRow[],
	asText: string[],
): PackageRow[] {
	const columns = new Set(rows.flatMap((row) => Object.keys(row)));
	const mixed = [...columns].filter(
		(column) =>
			!inferSchema(
				table,
				rows.map((row) => ({ [column]: row[column] ?? null })),
				[],
			).ok,
	);
	if (mixed.length === 0) return rows;
	asText.push(...mixed.map((column) => `${table}.${column}`));
	return rows.map((row) => {
		const converted = { ...row };
		for (const column of mixed) {
			const value = row[column];
			if (value !== undefined && value !== null && typeof value !== "string")
				converted[column] = JSON.stringify(value);
		}
		return converted;
	});
}

/** The outbox files of the pending batch, from outbox/ or (already moved) outbox/sent/. */
async function readPendingSources(root: string, pending: OldPending | null) {
	const sources: {
		name: string;
		checksum: string;
		inOutbox: boolean;
		content: OutboxContent;
	}[] = [];
	for (const name of pending?.sources ?? []) {
		let text: string | null = null;
		let inOutbox = true;
		for (const folder of [join(root, "outbox"), join(root, "outbox", "sent")]) {
			try {
				text = await readFile(join(folder, name), "utf8");
				break;
			} catch (error) {
				if (!isMissing(error)) throw error;
				inOutbox = false;
			}
		}
		if (text === null)
			throw new Error(
				`outbox file ${name} of the pending upload package ${pending?.sequence} is in neither outbox/ nor outbox/sent/ of ${root}; nothing was imported`,
			);
		const parsed = parseJson(text);
		if (!parsed.ok || !isObject(parsed.value))
			throw new Error(
				`outbox file ${name} of the pending upload package is not readable; nothing was imported`,
			);
		sources.push({
			name,
			checksum: createHash("sha256").update(text).digest("hex"),
			inOutbox,
			content: parsed.value as OutboxContent,
		});
	}
	return sources;
}
