import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
	type PackageRow,
	type PackageTables,
	tablesProblem,
} from "../domain/package-format.js";
import {
	listCompleteFiles,
	readJsonIfPresent,
	removeLeftoverTemporaryFiles,
	writeJsonAtomically,
} from "./files.js";

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
	/** Packages not signed for this database, by file name → checksum: a copy was set aside once. */
	setAside: Record<string, string>;
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

/** The upload watermark, and the batch being uploaded (fixed before its package is written). */
export type UploadJournal = {
	formatVersion: 1;
	lastSequence: number;
	pending: PendingUpload | null;
};

export type PendingUpload = {
	sequence: number;
	createdAt: string;
	/** The uploader's data group when the batch was fixed, so a rebuilt package is identical. */
	dataGroup: string;
	/** The outbox files in this package, in order; each is in outbox/ or already in outbox/sent/. */
	sources: string[];
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

/** Rows of one table by key: a table file is `{"<key>": row, …}`. */
export type TableRows = Record<string, PackageRow>;

/**
 * The channel data store: the local data of one channel database, in a
 * folder of its own (see the README's "Files" section). Tables are applied
 * by upsert, so applying the same package twice leaves the same rows.
 */
export class ChannelDataStore {
	readonly tablesFolder: string;
	readonly outboxFolder: string;
	readonly sentFolder: string;
	readonly rejectedFolder: string;
	readonly progressFile: string;
	readonly uploadJournalFile: string;

	constructor(readonly root: string) {
		this.tablesFolder = join(root, "tables");
		this.outboxFolder = join(root, "outbox");
		this.sentFolder = join(this.outboxFolder, "sent");
		this.rejectedFolder = join(this.outboxFolder, "rejected");
		this.progressFile = join(root, "applied.json");
		this.uploadJournalFile = join(root, "upload.json");
	}

	/** Creates the folders and clears temporary files a killed client left. */
	async prepare(): Promise<void> {
		for (const folder of [
			this.tablesFolder,
			this.sentFolder,
			this.rejectedFolder,
		])
			await mkdir(folder, { recursive: true, mode: 0o750 });
		for (const folder of [this.root, this.tablesFolder, this.sentFolder])
			await removeLeftoverTemporaryFiles(folder);
	}

	async readProgress(): Promise<DownloadProgress> {
		const raw = (await readJsonIfPresent(
			this.progressFile,
		)) as DownloadProgress | null;
		return raw ?? { formatVersion: 1, groups: {}, lastFullSyncAt: null };
	}

	/** The one step that moves the download watermark: atomic, so a crash leaves old or new. */
	writeProgress(progress: DownloadProgress): Promise<void> {
		return writeJsonAtomically(this.progressFile, progress);
	}

	async readTable(name: string): Promise<TableRows> {
		return ((await readJsonIfPresent(
			join(this.tablesFolder, `${name}.json`),
		)) ?? {}) as TableRows;
	}

	/**
	 * Upserts every row by key. Each table file is replaced atomically; a crash
	 * between tables leaves some applied and some not, and applying again
	 * gives the same result. Throws, before writing anything, when a table
	 * name or row cannot be applied.
	 */
	async applyTables(tables: PackageTables): Promise<void> {
		const problem = tablesProblem(tables);
		if (problem !== null) throw new Error(problem);
		for (const [name, rows] of Object.entries(tables)) {
			if (rows.length === 0) continue;
			// A Map, so a key such as "__proto__" is a row like any other.
			const table = new Map(Object.entries(await this.readTable(name)));
			for (const row of rows) table.set(String(row.key), row);
			await writeJsonAtomically(
				join(this.tablesFolder, `${name}.json`),
				Object.fromEntries(table),
			);
		}
	}

	async readUploadJournal(): Promise<UploadJournal> {
		const raw = (await readJsonIfPresent(
			this.uploadJournalFile,
		)) as UploadJournal | null;
		return raw ?? { formatVersion: 1, lastSequence: 0, pending: null };
	}

	writeUploadJournal(journal: UploadJournal): Promise<void> {
		return writeJsonAtomically(this.uploadJournalFile, journal);
	}

	/** Complete outbox files (`*.json`), oldest name first. */
	async outboxFiles(): Promise<string[]> {
		return (await listCompleteFiles(this.outboxFolder)).filter((name) =>
			name.endsWith(".json"),
		);
	}
}
