import { randomUUID } from "node:crypto";
import { type FSWatcher, watch } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { Low } from "lowdb";
import {
	type ChannelDatabaseFields,
	type Configuration,
	currentSchemaVersion,
	emptyConfiguration,
	type SchedulerParameters,
} from "../domain/configuration.js";
import {
	type Change,
	changeRecord,
	type Editor,
	type EditTarget,
	removeRecord,
	replaceAll,
	requestFullSync,
	type SaveOutcome,
	saveParameters,
	saveRecord,
} from "../domain/record-changes.js";
import type { Draft, RecordKind } from "../domain/record-kind.js";
import { removeLeftoverTemporaryFiles } from "./atomic-write.js";
import { ConfigurationFile } from "./configuration-file.js";
import { currentUser } from "./current-user.js";
import { DatabaseFileError, describeFileSystemError } from "./errors.js";
import { LockLostError, withFileLock } from "./lock.js";
import { realDatabasePath } from "./paths.js";
import { encryptSecret, secretKeyPath } from "./secrets.js";

export type StoreSnapshot = {
	configuration: Configuration;
	/** Set while the file on disk cannot be read; the configuration is then the last good one. */
	problem: string | null;
};

export type StoreOptions = {
	now?: () => Date;
	/** Recorded as modifiedBy; defaults to user@host. */
	author?: string;
};

/** Why a file (db.json, secret.key) can be read by other users, with the fix; null when it cannot or is not there. */
async function readableByOthers(path: string): Promise<string | null> {
	const info = await stat(path).catch(() => null);
	const mode = (info?.mode ?? 0) & 0o777;
	return mode & 0o077
		? `${path} can be read by other users (mode ${mode.toString(8)}): fix it with chmod 600 ${path}`
		: null;
}

/**
 * The configuration database. Every change is a read-modify-write of the
 * whole file under a cross-process lock, against what is on disk at that
 * moment (not what this process saw earlier), so concurrent operators and
 * scripts never lose each other's saves.
 */
export class ConfigurationStore {
	private snapshot: StoreSnapshot;
	private readonly listeners = new Set<() => void>();
	private readonly now: () => Date;
	private readonly author: string;

	private constructor(
		private readonly db: Low<Configuration>,
		private readonly file: ConfigurationFile,
		options: StoreOptions,
	) {
		this.snapshot = { configuration: db.data, problem: null };
		this.now = options.now ?? (() => new Date());
		this.author = options.author ?? currentUser();
	}

	/**
	 * Opens the database, creating it empty (mode 0600, folder 0700) when it
	 * does not exist and upgrading an older schema. Throws DatabaseFileError
	 * for a file it must not touch.
	 */
	static async open(
		givenPath: string,
		options: StoreOptions = {},
	): Promise<ConfigurationStore> {
		const path = await realDatabasePath(givenPath);
		const file = new ConfigurationFile(path);
		const db = new Low<Configuration>(file, emptyConfiguration());
		try {
			await mkdir(dirname(path), { recursive: true, mode: 0o700 });
		} catch (error) {
			throw new DatabaseFileError(
				`${dirname(path)}: cannot create the database folder: ${describeFileSystemError(error)}`,
			);
		}
		const store = new ConfigurationStore(db, file, options);
		// Reading takes no lock (every save replaces the file by a rename), so a
		// database on a read-only or full file system can still be shown.
		await db.read();
		store.publish({ configuration: db.data, problem: null });
		if (file.versionOnDisk !== currentSchemaVersion) {
			try {
				await store.mutate((configuration) =>
					file.versionOnDisk === currentSchemaVersion
						? { ok: false, result: undefined }
						: { ok: true, next: configuration, result: undefined },
				);
			} catch (error) {
				if (error instanceof DatabaseFileError) throw error;
				throw new DatabaseFileError(
					`${path}: cannot be ${file.versionOnDisk === null ? "created" : "upgraded"}: ${describeFileSystemError(error)}`,
				);
			}
		}
		const readable = [
			await readableByOthers(path),
			await readableByOthers(secretKeyPath(path)),
		].filter((warning) => warning !== null);
		store.permissionWarning = readable.length > 0 ? readable.join("; ") : null;
		return store;
	}

	/** Set when db.json or secret.key can be read by other users: together they give the passwords. */
	permissionWarning: string | null = null;

	get path(): string {
		return this.file.path;
	}

	getSnapshot = (): StoreSnapshot => this.snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/**
	 * Adds a record (no target), or saves a form's whole draft of one against
	 * the version it showed. `newId` adds it under an id chosen beforehand, so
	 * a caller can note the record before it exists: `cdx demo` lists each
	 * record in its manifest first, and a kill between the save and that note
	 * would leave a record nothing names.
	 */
	async save<Fields extends Record<string, unknown>, Input>(
		kind: RecordKind<Fields, Input>,
		draft: Draft,
		target?: EditTarget,
		newId?: string,
	): Promise<SaveOutcome<Fields>> {
		const sealed = await this.sealSecret(kind, draft);
		const editor = this.editor();
		if (newId !== undefined) editor.newId = () => newId;
		return this.attempt((configuration) =>
			saveRecord(configuration, kind, draft, target, editor, sealed),
		);
	}

	/** A command's `set`: only the fields in `changes`, on the record as it is when the lock is held. */
	async change<Fields extends Record<string, unknown>, Input>(
		kind: RecordKind<Fields, Input>,
		id: string,
		changes: Draft,
	): Promise<SaveOutcome<Fields>> {
		const sealed = await this.sealSecret(kind, changes);
		return this.attempt((configuration) =>
			changeRecord(configuration, kind, id, changes, this.editor(), sealed),
		);
	}

	/**
	 * Saves the Retail scheduler parameters: a form's whole draft against the
	 * version it showed, or (no version) only the fields a command names.
	 */
	async saveParameters(
		draft: Draft,
		expectedVersion?: number,
	): Promise<SaveOutcome<SchedulerParameters>> {
		return this.attempt((configuration) =>
			saveParameters(configuration, draft, expectedVersion, this.editor()),
		);
	}

	async requestFullSync(
		target: EditTarget,
	): Promise<SaveOutcome<ChannelDatabaseFields>> {
		return this.attempt((configuration) =>
			requestFullSync(configuration, target, this.editor()),
		);
	}

	async remove<Fields extends Record<string, unknown>, Input>(
		kind: RecordKind<Fields, Input>,
		target: EditTarget,
	): Promise<SaveOutcome<Fields>> {
		return this.attempt((configuration) =>
			removeRecord(configuration, kind, target),
		);
	}

	/** Replaces the whole configuration in one locked write (cdx import); the caller has validated it. */
	async replaceConfiguration(
		next: Configuration,
	): Promise<{ ok: true } | { ok: false; message: string }> {
		try {
			await this.mutate((current) => replaceAll(current, next, this.editor()));
			return { ok: true };
		} catch (error) {
			return { ok: false, message: this.notSaved(error) };
		}
	}

	/**
	 * Follows the file on disk: another operator's save or a script's edit
	 * shows up in the snapshot. The folder is watched, not the file, because
	 * every save replaces the file by a rename.
	 */
	watch(): () => void {
		let timer: NodeJS.Timeout | undefined;
		let watcher: FSWatcher | undefined;
		// The path is db.json's real path: saves replace the file in this folder.
		const file = this.path;
		const name = basename(file);
		try {
			watcher = watch(dirname(file), (_event, changed) => {
				if (changed !== null && changed !== name) return;
				clearTimeout(timer);
				timer = setTimeout(() => void this.reload(), 20);
			});
		} catch {
			// Some network file systems cannot be watched; saves here still refresh.
		}
		return () => {
			clearTimeout(timer);
			watcher?.close();
		};
	}

	/** Re-reads the file; a file that cannot be read keeps the last good configuration. */
	reload(): Promise<void> {
		// One at a time: a slow read must not publish over what a later one found.
		const reloaded = this.reloading.then(() => this.reloadNow());
		this.reloading = reloaded.catch(() => {});
		return reloaded;
	}

	private reloading: Promise<void> = Promise.resolve();
	/** Goes up with every save's publish, so a reload that read before it does not publish after it. */
	private saves = 0;

	private async reloadNow(): Promise<void> {
		// A save of this store that publishes meanwhile is newer than what this finds.
		const savesBefore = this.saves;
		// The echo of this store's own save, or a poll that found nothing new.
		const current = await this.file.stillOnDisk();
		if (current !== null) {
			if (this.saves !== savesBefore) return;
			if (current !== this.snapshot.configuration || this.snapshot.problem)
				this.publish({ configuration: current, problem: null });
			return;
		}
		try {
			const configuration = await this.file.read();
			if (this.saves !== savesBefore) return;
			if (configuration === null) {
				this.publish({
					configuration: this.snapshot.configuration,
					problem: `${this.path}: the file was removed; showing the last version read`,
				});
				return;
			}
			this.publish({ configuration, problem: null });
		} catch (error) {
			this.publish({
				configuration: this.snapshot.configuration,
				problem: `${(error as Error).message}; showing the last version read`,
			});
		}
	}

	private editor(): Editor {
		return { at: this.now(), by: this.author, newId: randomUUID };
	}

	/** Encrypted before the lock is taken: it reads the key file. */
	private async sealSecret(
		kind: { secret?: { typed: string } },
		draft: Draft,
	): Promise<string | undefined> {
		const typed = kind.secret ? (draft[kind.secret.typed] ?? "") : "";
		return typed === "" ? undefined : encryptSecret(this.path, typed);
	}

	private notSaved(error: unknown): string {
		// Another writer saved meanwhile: the file did change, only not by this process.
		if (error instanceof LockLostError)
			return `${this.path}: not saved: ${error.message}`;
		const why =
			error instanceof DatabaseFileError
				? error.message
				: `${this.path}: not saved: ${describeFileSystemError(error)}`;
		return `${why}; the file on disk is unchanged`;
	}

	/** A change whose failure to reach the disk is an outcome to show, not a crash. */
	private async attempt<Fields>(
		change: (configuration: Configuration) => Change<SaveOutcome<Fields>>,
	): Promise<SaveOutcome<Fields>> {
		try {
			return await this.mutate(change);
		} catch (error) {
			return {
				ok: false,
				reason: "write-failed",
				message: this.notSaved(error),
			};
		}
	}

	/**
	 * The one read-modify-write path. Runs `change` on what is on disk now,
	 * under the lock, and writes only when it says so.
	 */
	private async mutate<Result>(
		change: (configuration: Configuration) => Change<Result>,
	): Promise<Result> {
		const outcome = await withFileLock(this.path, async (lock) => {
			// Usually the file is the one this store last read or wrote: no need to parse it again.
			const current = await this.file.stillOnDisk();
			if (current === null) await this.db.read();
			else this.db.data = current;
			const mutation = change(this.db.data);
			if (mutation.ok) {
				// Holding the lock, a temporary file of db.json whose writer is gone is a killed writer's.
				await removeLeftoverTemporaryFiles(
					dirname(this.path),
					basename(this.path),
				);
				await this.file.write(mutation.next, lock);
				this.db.data = mutation.next;
			}
			// From here a reload that read the file before this save is older than it.
			this.saves += 1;
			return { mutation, shown: this.db.data };
		});
		this.publish({ configuration: outcome.shown, problem: null });
		return outcome.mutation.result;
	}

	private publish(snapshot: StoreSnapshot): void {
		this.snapshot = snapshot;
		for (const listener of this.listeners) listener();
	}
}
