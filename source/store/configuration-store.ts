import { randomUUID } from "node:crypto";
import { type FSWatcher, realpathSync, watch } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { basename, dirname } from "node:path";
import { Low } from "lowdb";
import { channelDatabaseKind } from "../domain/channel-database.js";
import {
	type ChannelDatabase,
	type ChannelDatabaseFields,
	type Collection,
	type Configuration,
	currentSchemaVersion,
	emptyConfiguration,
	type RecordMeta,
	type SchedulerParameters,
} from "../domain/configuration.js";
import type { Draft, RecordKind, StoredRecord } from "../domain/record-kind.js";
import { schedulerParametersForm } from "../domain/scheduler-parameters.js";
import { quoted } from "../domain/text.js";
import { describeProblem, type FieldProblem } from "../domain/validation.js";
import { removeLeftoverTemporaryFiles, symlinkTarget } from "./atomic-write.js";
import { ConfigurationFile } from "./configuration-file.js";
import { DatabaseFileError, describeFileSystemError } from "./errors.js";
import { withFileLock } from "./lock.js";
import { realDatabasePath } from "./paths.js";
import { encryptSecret } from "./secrets.js";

/** The version of a record the editor started from; a save is refused if it moved on. */
export type EditTarget = { id: string; expectedVersion: number };

export type SaveOutcome<Fields> =
	| { ok: true; record: StoredRecord<Fields> }
	| { ok: false; reason: "invalid"; problems: FieldProblem[] }
	| {
			ok: false;
			reason: "conflict" | "not-found" | "in-use" | "write-failed";
			message: string;
	  };

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

/** Why the database can be read by other users, with the fix; null when it cannot. */
async function readableByOthers(path: string): Promise<string | null> {
	const mode = (await stat(path)).mode & 0o777;
	return mode & 0o077
		? `${path} can be read by other users (mode ${mode.toString(8)}): fix it with chmod 600 ${path}`
		: null;
}

/** A refused save or delete as one line: the reason, or each field's problem. */
export function describeRefusal(
	outcome: Exclude<SaveOutcome<unknown>, { ok: true }>,
): string {
	return outcome.reason === "invalid"
		? outcome.problems.map(describeProblem).join("; ")
		: outcome.message;
}

type Mutation<Result> =
	| { ok: true; next: Configuration; result: Result }
	| { ok: false; result: Result };

// Collections hold different record types; a RecordKind names which one it edits.
function recordsOf<Fields>(
	configuration: Configuration,
	kind: { collection: Collection },
): StoredRecord<Fields>[] {
	return configuration[kind.collection] as unknown as StoredRecord<Fields>[];
}

function withRecords<Fields>(
	configuration: Configuration,
	kind: { collection: Collection },
	records: StoredRecord<Fields>[],
): Configuration {
	return {
		...configuration,
		[kind.collection]: records,
	} as unknown as Configuration;
}

function defaultAuthor(): string {
	return `${userInfo().username}@${hostname()}`;
}

function timeOf(isoDate: string): string {
	return isoDate.replace("T", " ").replace(/\.\d+Z$/, " UTC");
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
		this.author = options.author ?? defaultAuthor();
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
		store.permissionWarning = await readableByOthers(path);
		return store;
	}

	/** Set when db.json can be read by other users: passwords are in it, encrypted. */
	permissionWarning: string | null = null;

	get path(): string {
		return this.file.path;
	}

	getSnapshot = (): StoreSnapshot => this.snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	async save<Fields extends Record<string, unknown>, Input>(
		kind: RecordKind<Fields, Input>,
		draft: Draft,
		target?: EditTarget,
	): Promise<SaveOutcome<Fields>> {
		// Encrypted before the lock is taken: it reads the key file.
		const typedSecret = kind.secret ? (draft[kind.secret.typed] ?? "") : "";
		const sealedSecret =
			kind.secret && typedSecret !== ""
				? await encryptSecret(this.path, typedSecret)
				: undefined;
		return this.attempt<Fields>((configuration) => {
			const records = recordsOf<Fields>(configuration, kind);
			const existing = target
				? records.find((record) => record.id === target.id)
				: undefined;
			if (target) {
				const refusal = this.staleEdit(kind, existing, target);
				if (refusal) return { ok: false, result: refusal };
			}
			const validated = kind.validate(draft, configuration, target?.id);
			if (!validated.ok) {
				return {
					ok: false,
					result: {
						ok: false,
						reason: "invalid",
						problems: validated.problems,
					},
				};
			}
			// Fields the form does not show (a full-sync request) survive an edit.
			const fields: Record<string, unknown> = {
				...existing,
				...validated.value,
			};
			if (kind.secret) {
				delete fields[kind.secret.typed];
				if (sealedSecret !== undefined)
					fields[kind.secret.stored] = sealedSecret;
			}
			const record = {
				...fields,
				id: existing?.id ?? randomUUID(),
				version: (existing?.version ?? 0) + 1,
				modifiedAt: this.now().toISOString(),
				modifiedBy: this.author,
			} as StoredRecord<Fields>;
			const next = existing
				? records.map((candidate) =>
						candidate.id === record.id ? record : candidate,
					)
				: [...records, record];
			return {
				ok: true,
				next: withRecords(configuration, kind, next),
				result: { ok: true, record },
			};
		});
	}

	/** Saves the Retail scheduler parameters, the one record edited in place. */
	async saveParameters(
		draft: Draft,
		expectedVersion: number,
	): Promise<SaveOutcome<SchedulerParameters>> {
		return this.attempt<SchedulerParameters>((configuration) => {
			const current = configuration.parameters;
			if (current.version !== expectedVersion) {
				return {
					ok: false,
					result: {
						ok: false,
						reason: "conflict",
						message: `${current.modifiedBy} changed the ${schedulerParametersForm.title} at ${timeOf(current.modifiedAt)}, after you opened them`,
					},
				};
			}
			const validated = schedulerParametersForm.validate(
				draft,
				configuration,
				current.id,
			);
			if (!validated.ok) {
				return {
					ok: false,
					result: {
						ok: false,
						reason: "invalid",
						problems: validated.problems,
					},
				};
			}
			const record: SchedulerParameters = {
				...validated.value,
				id: current.id,
				version: current.version + 1,
				modifiedAt: this.now().toISOString(),
				modifiedBy: this.author,
			};
			return {
				ok: true,
				next: { ...configuration, parameters: record },
				result: { ok: true, record },
			};
		});
	}

	/**
	 * "Full data sync": marks a channel database so its client takes all data
	 * again on its next download cycle.
	 */
	async requestFullSync(
		target: EditTarget,
	): Promise<SaveOutcome<ChannelDatabaseFields>> {
		return this.attempt<ChannelDatabaseFields>((configuration) => {
			const existing = configuration.channelDatabases.find(
				(database) => database.id === target.id,
			);
			const refusal = this.staleEdit(channelDatabaseKind, existing, target);
			if (refusal || !existing)
				return {
					ok: false,
					result: refusal ?? this.missing(channelDatabaseKind),
				};
			const record: ChannelDatabase = {
				...existing,
				fullSyncRequestedAt: this.now().toISOString(),
				version: existing.version + 1,
				modifiedAt: this.now().toISOString(),
				modifiedBy: this.author,
			};
			return {
				ok: true,
				next: {
					...configuration,
					channelDatabases: configuration.channelDatabases.map((database) =>
						database.id === record.id ? record : database,
					),
				},
				result: { ok: true, record },
			};
		});
	}

	/**
	 * Replaces the whole configuration in one locked write (cdx import); the
	 * caller has validated it. The caller picks the ids; versions, times and
	 * author are set here against the file as it is now: a record that keeps
	 * an id goes one version past the stored one, so an editor that had it
	 * open gets a conflict instead of overwriting the import.
	 */
	async replaceConfiguration(
		next: Configuration,
	): Promise<{ ok: true } | { ok: false; message: string }> {
		const stamp = {
			modifiedAt: this.now().toISOString(),
			modifiedBy: this.author,
		};
		const restamp = <R extends RecordMeta>(
			records: R[],
			stored: RecordMeta[],
		): R[] => {
			const versions = new Map(
				stored.map((record) => [record.id, record.version]),
			);
			return records.map((record) => ({
				...record,
				...stamp,
				version: (versions.get(record.id) ?? 0) + 1,
			}));
		};
		try {
			await this.mutate((current) => ({
				ok: true,
				next: {
					schemaVersion: currentSchemaVersion,
					profiles: restamp(next.profiles, current.profiles),
					workingFolders: restamp(next.workingFolders, current.workingFolders),
					dataGroups: restamp(next.dataGroups, current.dataGroups),
					channelDatabases: restamp(
						next.channelDatabases,
						current.channelDatabases,
					),
					parameters: {
						...next.parameters,
						...stamp,
						id: current.parameters.id,
						version: current.parameters.version + 1,
					},
				},
				result: undefined,
			}));
			return { ok: true };
		} catch (error) {
			const why =
				error instanceof DatabaseFileError
					? error.message
					: `${this.path}: not saved: ${describeFileSystemError(error)}`;
			return { ok: false, message: `${why}; the file on disk is unchanged` };
		}
	}

	async remove<Fields extends Record<string, unknown>, Input>(
		kind: RecordKind<Fields, Input>,
		target: EditTarget,
	): Promise<SaveOutcome<Fields>> {
		return this.attempt<Fields>((configuration) => {
			const records = recordsOf<Fields>(configuration, kind);
			const existing = records.find((record) => record.id === target.id);
			const refusal = this.staleEdit(kind, existing, target);
			if (refusal || !existing) {
				return { ok: false, result: refusal ?? this.missing(kind) };
			}
			const users = kind.usedBy(configuration, target.id);
			if (users.length > 0) {
				return {
					ok: false,
					result: {
						ok: false,
						reason: "in-use",
						message: `${kind.title} ${quoted(kind.nameOf(existing))} is used by ${users.join(", ")}; change those first`,
					},
				};
			}
			return {
				ok: true,
				next: withRecords(
					configuration,
					kind,
					records.filter((record) => record.id !== target.id),
				),
				result: { ok: true, record: existing },
			};
		});
	}

	/**
	 * Follows the file on disk: another operator's save or a script's edit
	 * shows up in the snapshot. The folder is watched, not the file, because
	 * every save replaces the file by a rename.
	 */
	watch(): () => void {
		let timer: NodeJS.Timeout | undefined;
		let watcher: FSWatcher | undefined;
		// Saves replace the file a symlinked db.json points to, in its own folder.
		let file = this.path;
		try {
			file = realpathSync(this.path);
		} catch {
			// Not there (yet): watch for it where it will be.
		}
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

	private staleEdit<Fields>(
		kind: { title: string },
		existing: StoredRecord<Fields> | undefined,
		target: EditTarget,
	): SaveOutcome<Fields> | null {
		if (!existing) return this.missing(kind);
		if (existing.version === target.expectedVersion) return null;
		return {
			ok: false,
			reason: "conflict",
			message: `${existing.modifiedBy} changed this ${kind.title} at ${timeOf(existing.modifiedAt)}, after you opened it`,
		};
	}

	private missing<Fields>(kind: { title: string }): SaveOutcome<Fields> {
		return {
			ok: false,
			reason: "not-found",
			message: `this ${kind.title} was deleted by someone else after you opened it`,
		};
	}

	/** A change whose failure to reach the disk is an outcome to show, not a crash. */
	private async attempt<Fields>(
		change: (configuration: Configuration) => Mutation<SaveOutcome<Fields>>,
	): Promise<SaveOutcome<Fields>> {
		try {
			return await this.mutate(change);
		} catch (error) {
			const why =
				error instanceof DatabaseFileError
					? error.message
					: `${this.path}: not saved: ${describeFileSystemError(error)}`;
			return {
				ok: false,
				reason: "write-failed",
				message: `${why}; the file on disk is unchanged`,
			};
		}
	}

	/**
	 * The one read-modify-write path. Runs `change` on what is on disk now,
	 * under the lock, and writes only when it says so.
	 */
	private async mutate<Result>(
		change: (configuration: Configuration) => Mutation<Result>,
	): Promise<Result> {
		const outcome = await withFileLock(this.path, async () => {
			// Usually the file is the one this store last read or wrote: no need to parse it again.
			const current = await this.file.stillOnDisk();
			if (current === null) await this.db.read();
			else this.db.data = current;
			const mutation = change(this.db.data);
			if (mutation.ok) {
				this.db.data = mutation.next;
				// Holding the lock, any temporary file of db.json is a killed writer's.
				const target = await symlinkTarget(this.path);
				await removeLeftoverTemporaryFiles(dirname(target), basename(target));
				await this.db.write();
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
