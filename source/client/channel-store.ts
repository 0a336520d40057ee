import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ChannelStoreFacts } from "../domain/client-state.js";
import type { PackageTables } from "../domain/package-format.js";
import type { PackageSchemas, TableRow } from "../domain/table-schema.js";
import { removeLeftoverTemporaryFiles } from "../store/atomic-write.js";
import { applyTables } from "./channel-data/apply-tables.js";
import type { ChannelDatabaseEngine } from "./channel-data/engine.js";
import { upgradeJsonStore } from "./channel-data/json-store-upgrade.js";
import { readRecord } from "./channel-data/records.js";
import {
	configuredStore,
	databaseFileName,
	openConfiguredStore,
	openRecordedStore,
	type RetailServerFields,
} from "./channel-data/store-target.js";
import {
	readUploadJournal,
	type UploadJournal,
} from "./channel-data/upload-rows.js";
import { listCompleteFiles } from "./files.js";

/** How far this channel database got with one data group's download packages. */
export type GroupProgress = {
	/** The last sequence applied: the watermark. Packages at or below it are never applied again. */
	sequence: number;
	/** The checksum of the package applied at the watermark: tells a renumbered folder from the one applied. */
	appliedChecksum?: string;
	appliedAt: string | null;
	/** Full data syncs served for this group; part of session IDs so a re-apply is a new session. */
	generation: number;
	/** Packages that failed to apply, by file name: tries so far, for the try count. */
	attempts: Record<string, PackageAttempts>;
	/**
	 * Packages not signed for this database, by file name: a copy was set
	 * aside once. Remembered by the whole file's checksum, signatures
	 * included, so a package signed again is checked again.
	 */
	setAside: Record<string, SetAside>;
	/** Skips an operator asked for (cdx package skip), by sequence: the package is passed over, not applied. */
	skips?: Record<string, PlannedSkip>;
};

export type SetAside = { fileChecksum: string; reason: string };

export type PlannedSkip = {
	/** user@host */
	requestedBy: string;
	requestedAt: string;
	reason: string;
};

export type PackageAttempts = {
	/** A replaced file (other checksum) starts again from zero tries. */
	checksum: string;
	tries: number;
	lastError: string;
	startedAt: string;
};

export type DownloadProgress = {
	formatVersion: 1;
	groups: Record<string, GroupProgress>;
	/** The full-sync request (fullSyncRequestedAt) last served. */
	lastFullSyncAt: string | null;
};

export function emptyGroupProgress(): GroupProgress {
	return {
		sequence: 0,
		appliedAt: null,
		generation: 0,
		attempts: {},
		setAside: {},
	};
}

/** The client's own records in the channel database. */
const downloadRecord = "download-progress";

export { databaseFileName };

export type OpenEngine = (file: string) => Promise<ChannelDatabaseEngine>;

/** Where a channel database's data is, as `cdx channel-db show --json` reports it. */
export type StoreLocation = {
	engine: ChannelDatabaseEngine["engine"];
	location: string;
	outbox: string;
	/** Set when the Retail Server fields name no usable store (then location says what they hold). */
	problem?: string;
};

/** Where a record's Retail Server fields put its data: the SQLite file in its data folder, or PostgreSQL. */
export function storeLocation(
	dataFolder: string,
	fields: RetailServerFields,
): StoreLocation {
	const outbox = join(dataFolder, "outbox");
	const configured = configuredStore(dataFolder, fields);
	if (!configured.ok)
		return {
			engine: "postgresql",
			location: fields.serverName,
			outbox,
			problem: configured.problem,
		};
	return {
		engine: configured.target.engine,
		location: configured.location,
		outbox,
	};
}

/**
 * The local data of one channel database (see the README's "Files"
 * section): its tables and the client's watermarks in one SQL database,
 * and the outbox folder beside it for a point of sale that can only write
 * files. Each package is applied in one transaction with its watermark.
 */
export class ChannelDataStore {
	readonly databaseFile: string;
	readonly outboxFolder: string;
	readonly sentFolder: string;
	readonly rejectedFolder: string;
	#engine: ChannelDatabaseEngine | null = null;

	constructor(
		readonly root: string,
		readonly openEngine: OpenEngine = () => openRecordedStore(root),
	) {
		this.databaseFile = join(root, databaseFileName);
		this.outboxFolder = join(root, "outbox");
		this.sentFolder = join(this.outboxFolder, "sent");
		this.rejectedFolder = join(this.outboxFolder, "rejected");
	}

	/** The store a channel database record names, opened only where its data is (see store-target.ts). */
	static forRecord(
		root: string,
		record: RetailServerFields & { name: string },
	): ChannelDataStore {
		return new ChannelDataStore(root, () =>
			openConfiguredStore(root, record.name, record),
		);
	}

	/** The open database; `prepare()` opens it. */
	get engine(): ChannelDatabaseEngine {
		if (this.#engine === null)
			throw new Error(`the channel database in ${this.root} is not open`);
		return this.#engine;
	}

	/**
	 * Creates the folders, opens the database, imports a JSON data store
	 * left by an earlier version, and clears temporary files a killed
	 * client left.
	 */
	async prepare(log: (message: string) => void = () => {}): Promise<void> {
		// Private, as db.json's folder: the channel database holds the store's rows.
		for (const folder of [this.sentFolder, this.rejectedFolder])
			await mkdir(folder, { recursive: true, mode: 0o700 });
		await removeLeftoverTemporaryFiles(this.sentFolder);
		this.#engine ??= await this.openEngine(this.databaseFile);
		await upgradeJsonStore(this.root, this.#engine, log);
	}

	/** Whether `prepare()` has opened the database (a server may have been away when it was called). */
	get isOpen(): boolean {
		return this.#engine !== null;
	}

	async close(): Promise<void> {
		await this.#engine?.close();
		this.#engine = null;
	}

	/** What the detail view shows of this database: engine, where it is, each data group's watermark. */
	async facts(): Promise<ChannelStoreFacts> {
		const progress = await this.readProgress();
		return {
			engine: this.engine.engine,
			location: this.engine.location,
			watermarks: Object.fromEntries(
				Object.entries(progress.groups).map(([group, { sequence }]) => [
					group,
					sequence,
				]),
			),
		};
	}

	async readProgress(): Promise<DownloadProgress> {
		return (
			(await this.engine.read((reader) =>
				readRecord<DownloadProgress>(reader, downloadRecord),
			)) ?? {
				formatVersion: 1,
				groups: {},
				lastFullSyncAt: null,
			}
		);
	}

	/** Moves the download watermark (and the tries, set-aside packages) on its own. */
	writeProgress(progress: DownloadProgress): Promise<void> {
		return this.engine.write((transaction) =>
			transaction.setRecord(downloadRecord, JSON.stringify(progress)),
		);
	}

	/**
	 * Applies a package: creates missing tables and columns, upserts every
	 * row by key, and sets the new download progress, all in one
	 * transaction. A package that does not fit (a type conflict, a missing
	 * key) throws naming table, column and row, and changes nothing.
	 */
	applyPackage(
		tables: PackageTables,
		schemas: PackageSchemas | undefined,
		progress: DownloadProgress,
	): Promise<void> {
		return this.engine.write(async (transaction) => {
			await applyTables(transaction, tables, schemas);
			await transaction.setRecord(downloadRecord, JSON.stringify(progress));
		});
	}

	/** A table's rows in key order (empty when there is no such table). */
	async readTable(name: string): Promise<TableRow[]> {
		return this.engine.read(async (reader) => {
			const schema = (await reader.tables()).get(name);
			return schema === undefined ? [] : reader.rows(name, schema);
		});
	}

	/** The upload watermark: the last sequence and each table's last counter uploaded. */
	readUploadJournal(): Promise<UploadJournal> {
		return this.engine.read(readUploadJournal);
	}

	/** Complete outbox files (`*.json`), oldest name first. */
	async outboxFiles(): Promise<string[]> {
		return (await listCompleteFiles(this.outboxFolder)).filter((name) =>
			name.endsWith(".json"),
		);
	}
}
