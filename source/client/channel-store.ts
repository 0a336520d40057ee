import type { BigIntStats } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import {
	type PackageRow,
	type PackageTables,
	tablesProblem,
} from "../domain/package-format.js";
import {
	removeLeftoverTemporaryFiles,
	writeFileAtomically,
} from "../store/atomic-write.js";
import {
	isMissing,
	listCompleteFiles,
	readJsonIfPresent,
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
 * A table file as this store last wrote it. Each row is kept as its text in
 * the file, so applying a package formats only the package's rows; the
 * file's identity tells whether anyone else has changed the file since.
 */
type WrittenTable = {
	/**
	 * Key → `\t"<key>": {…}` in UTF-8, a Map so a key such as "__proto__" is
	 * a row like any other. Bytes, not strings: joining a large table's rows
	 * is then one copy, not a string join and a UTF-8 encoding.
	 */
	entries: Map<string, Buffer>;
	written: FileIdentity;
};

/** Changes whenever the file is written or replaced: a rename or write sets ctime. */
type FileIdentity = string;

function identityOf(stats: BigIntStats): FileIdentity {
	return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

async function identityIfPresent(file: string): Promise<FileIdentity | null> {
	try {
		return identityOf(await stat(file, { bigint: true }));
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
}

/** A row as `JSON.stringify(table, null, "\t")` writes it one level down. */
function tableEntry(key: string, row: PackageRow): Buffer {
	const value = JSON.stringify(row, null, "\t").replaceAll("\n", "\n\t");
	return Buffer.from(`\t${JSON.stringify(key)}: ${value}`);
}

const tableStart = Buffer.from("{\n");
const rowSeparator = Buffer.from(",\n");
const tableEnd = Buffer.from("\n}\n");

/** A table file's bytes, in the format `writeJsonAtomically` gives an object. */
function tableBytes(entries: Map<string, Buffer>): Buffer {
	if (entries.size === 0) return Buffer.from("{}\n");
	const parts: Buffer[] = [tableStart];
	for (const entry of entries.values()) parts.push(entry, rowSeparator);
	parts[parts.length - 1] = tableEnd;
	return Buffer.concat(parts);
}

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
	/** Tables as last written, so a package does not read and parse the whole table again. */
	readonly #written = new Map<string, WrittenTable>();

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
	 *
	 * A table this store wrote is kept in memory and not read and parsed
	 * again for the next package while its file is unchanged; a file changed
	 * by anyone else between packages (a hand edit, a restored backup) is
	 * read again. An edit made while a package is being applied is lost, as
	 * it always was: the client owns tables/.
	 */
	async applyTables(tables: PackageTables): Promise<void> {
		const problem = tablesProblem(tables);
		if (problem !== null) throw new Error(problem);
		// The tables are written side by side, so their fsyncs overlap; all
		// are settled before this returns and the watermark can move.
		const writes = await Promise.allSettled(
			Object.entries(tables)
				.filter(([, rows]) => rows.length > 0)
				.map(([name, rows]) => this.#upsert(name, rows)),
		);
		const failed = writes.find((write) => write.status === "rejected");
		if (failed !== undefined) throw failed.reason;
	}

	async #upsert(name: string, rows: PackageRow[]): Promise<void> {
		const file = join(this.tablesFolder, `${name}.json`);
		const entries = await this.#takeEntries(name, file);
		for (const row of rows) {
			const key = String(row.key);
			entries.set(key, tableEntry(key, row));
		}
		await writeFileAtomically(file, tableBytes(entries));
		const written = await identityIfPresent(file);
		if (written !== null) this.#written.set(name, { entries, written });
	}

	/**
	 * The table's rows as file entries, kept from this store's last write
	 * while the file is unchanged, else read from the file. They are taken
	 * out of memory while a package changes them and go back only once the
	 * file is written: a failed write (a full disk) leaves nothing in memory
	 * that is not on disk, and the next try reads the file again.
	 */
	async #takeEntries(name: string, file: string): Promise<Map<string, Buffer>> {
		const kept = this.#written.get(name);
		this.#written.delete(name);
		if (kept !== undefined && kept.written === (await identityIfPresent(file)))
			return kept.entries;
		const entries = new Map<string, Buffer>();
		for (const [key, row] of Object.entries(await this.readTable(name)))
			entries.set(key, tableEntry(key, row));
		return entries;
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
