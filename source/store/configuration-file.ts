import { readFile } from "node:fs/promises";
import type { Adapter } from "lowdb";
import type { Configuration } from "../domain/configuration.js";
import { writeFileAtomically } from "./atomic-write.js";
import { DatabaseFileError, describeFileSystemError } from "./errors.js";
import { toConfiguration } from "./schema.js";

/**
 * lowdb adapter for db.json. Unlike lowdb's JSONFile it fsyncs before the
 * rename, and it refuses (throws DatabaseFileError) rather than returning
 * something it half understood.
 */
export class ConfigurationFile implements Adapter<Configuration> {
	/** The text last read or written, so a watcher can tell a real change from an echo. */
	lastText: string | null = null;
	/** The schema version of the file as last read, before any upgrade; null when there is no file. */
	versionOnDisk: number | null = null;

	constructor(readonly path: string) {}

	async read(): Promise<Configuration | null> {
		let text: string;
		try {
			text = await readFile(this.path, "utf8");
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === "ENOENT") {
				this.lastText = null;
				this.versionOnDisk = null;
				return null;
			}
			throw new DatabaseFileError(
				`${this.path}: cannot be read: ${describeFileSystemError(error)}`,
			);
		}
		let raw: unknown;
		try {
			raw = JSON.parse(text);
		} catch (error) {
			throw new DatabaseFileError(
				`${this.path}: not valid JSON (${(error as Error).message}); the file was not changed`,
			);
		}
		const configuration = toConfiguration(raw, this.path);
		this.lastText = text;
		this.versionOnDisk = (raw as { schemaVersion: number }).schemaVersion;
		return configuration;
	}

	async write(configuration: Configuration): Promise<void> {
		const text = `${JSON.stringify(configuration, null, "\t")}\n`;
		// Before the first write in a newer schema, the old file is kept beside it.
		if (
			this.lastText !== null &&
			this.versionOnDisk !== null &&
			this.versionOnDisk < configuration.schemaVersion
		) {
			await writeFileAtomically(
				`${this.path}.schema-${this.versionOnDisk}.bak`,
				this.lastText,
			);
		}
		await writeFileAtomically(this.path, text);
		this.lastText = text;
		this.versionOnDisk = configuration.schemaVersion;
	}
}
