import type { BigIntStats } from "node:fs";
import { open, stat } from "node:fs/promises";
import type { Adapter } from "lowdb";
import {
	type Configuration,
	currentSchemaVersion,
} from "../domain/configuration.js";
import { parseJson } from "../domain/json-text.js";
import { writeFileAtomically } from "./atomic-write.js";
import { DatabaseFileError, describeFileSystemError } from "./errors.js";
import type { HeldLock } from "./lock.js";
import { toConfiguration } from "./schema.js";

/** Which file a path held when it was read or written: a save replaces it by a rename, a new inode. */
function stampOf(info: BigIntStats): string {
	return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

/*
 * Records and lists are never changed in place (a save builds new ones), so
 * the text of one written before is still its text: a save of one profile
 * out of 200, beside 10,000 channel databases, encodes the profiles again
 * and copies the bytes of the rest.
 */
const recordTexts = new WeakMap<object, string>();
const listBytes = new WeakMap<object, Buffer>();

function recordText(record: unknown): string {
	if (typeof record !== "object" || record === null)
		return JSON.stringify(record);
	let text = recordTexts.get(record);
	if (text === undefined) {
		text = JSON.stringify(record);
		recordTexts.set(record, text);
	}
	return text;
}

function listOf(records: unknown[]): Buffer {
	let bytes = listBytes.get(records);
	if (bytes === undefined) {
		bytes = Buffer.from(
			records.length === 0
				? "[]"
				: `[\n\t\t${records.map(recordText).join(",\n\t\t")}\n\t]`,
		);
		listBytes.set(records, bytes);
	}
	return bytes;
}

/**
 * db.json as people read and diff it: one record per line, each list and
 * the parameters under their name.
 */
export function configurationBytes(configuration: Configuration): Buffer {
	const parts: Buffer[] = [];
	for (const [index, [name, value]] of Object.entries(
		configuration,
	).entries()) {
		parts.push(
			Buffer.from(`${index === 0 ? "{\n" : ",\n"}\t${JSON.stringify(name)}: `),
		);
		parts.push(
			Array.isArray(value) ? listOf(value) : Buffer.from(JSON.stringify(value)),
		);
	}
	parts.push(Buffer.from("\n}\n"));
	return Buffer.concat(parts);
}

/**
 * lowdb adapter for db.json. Unlike lowdb's JSONFile it fsyncs before the
 * rename, and it refuses (throws DatabaseFileError) rather than returning
 * something it half understood.
 */
export class ConfigurationFile implements Adapter<Configuration> {
	/** The text of a file in an older schema as read, kept beside it before it is first upgraded. */
	#olderText: string | null = null;
	/** The schema version of the file as last read, before any upgrade; null when there is no file. */
	versionOnDisk: number | null = null;
	/**
	 * The file last read or written and what it holds, as one pair (a read
	 * and a save may overlap in one process; whichever ends last leaves a
	 * pair that belongs together). Null when unknown.
	 */
	#known: { stamp: string; configuration: Configuration } | null = null;

	constructor(readonly path: string) {}

	/**
	 * What the file holds, when it is still the file last read or written:
	 * a save or a reload need not read and parse it again. Null when it
	 * changed (or is gone, or was never read).
	 */
	async stillOnDisk(): Promise<Configuration | null> {
		const known = this.#known;
		if (known === null) return null;
		try {
			const stamp = stampOf(await stat(this.path, { bigint: true }));
			return stamp === known.stamp ? known.configuration : null;
		} catch {
			return null;
		}
	}

	async read(): Promise<Configuration | null> {
		this.#known = null;
		let text: string;
		let stamp: string;
		try {
			// The stamp and the text come from the same open file, even if a save replaces it meanwhile.
			const handle = await open(this.path, "r");
			try {
				stamp = stampOf(await handle.stat({ bigint: true }));
				text = await handle.readFile("utf8");
			} finally {
				await handle.close();
			}
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === "ENOENT") {
				this.#olderText = null;
				this.versionOnDisk = null;
				return null;
			}
			throw new DatabaseFileError(
				`${this.path}: cannot be read: ${describeFileSystemError(error)}`,
			);
		}
		const parsed = parseJson(text);
		if (!parsed.ok)
			throw new DatabaseFileError(
				`${this.path}: ${parsed.problem}; the file was not changed`,
			);
		const raw = parsed.value;
		const configuration = toConfiguration(raw, this.path);
		this.versionOnDisk = (raw as { schemaVersion: number }).schemaVersion;
		this.#olderText = this.versionOnDisk < currentSchemaVersion ? text : null;
		this.#known = { stamp, configuration };
		return configuration;
	}

	/**
	 * Writes through `lock` (the store's transaction holds it), which writes
	 * nothing once the lock is lost; lowdb's own write() has no lock to pass.
	 */
	async write(configuration: Configuration, lock?: HeldLock): Promise<void> {
		if (lock === undefined)
			throw new Error("db.json is written only under its lock");
		// Until this write is known to be on disk, the file may hold either version.
		this.#known = null;
		const bytes = configurationBytes(configuration);
		// Before the first write in a newer schema, the old file is kept beside it.
		if (
			this.#olderText !== null &&
			this.versionOnDisk !== null &&
			this.versionOnDisk < configuration.schemaVersion
		) {
			await writeFileAtomically(
				`${this.path}.schema-${this.versionOnDisk}.bak`,
				this.#olderText,
			);
		}
		await lock.replace(bytes);
		this.#olderText = null;
		this.versionOnDisk = configuration.schemaVersion;
		// Writers hold the lock, so the file renamed into place is still this one.
		this.#known = {
			stamp: stampOf(await stat(this.path, { bigint: true })),
			configuration,
		};
	}
}
