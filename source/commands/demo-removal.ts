import { readdir, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { clientPaths } from "../client/client-paths.js";
import {
	isRealFolder,
	listFolder,
	readPlainText,
	removePlainFile,
} from "../client/shared-files.js";
import { clientRunning } from "../client/state-publisher.js";
import type { Collection, Configuration } from "../domain/configuration.js";
import { isObject, parseJson } from "../domain/json-text.js";
import { describeRefusal, removeRecord } from "../domain/record-changes.js";
import { type AnyRecordKind, recordsOf } from "../domain/record-kind.js";
import { quoted } from "../domain/text.js";
import { isAbandonedTemporary } from "../store/atomic-write.js";
import type { ConfigurationStore } from "../store/configuration-store.js";
import { exportSections } from "./configuration-document.js";
import {
	type DemoManifest,
	readManifest,
	removeLeftManifestTemporaries,
} from "./demo-manifest.js";

export type DemoRemoved =
	| {
			ok: true;
			removedRecords: string[];
			removedFiles: number;
			/** Files and folders left because the demo cannot tell they are its own. */
			left: string[];
	  }
	| { ok: false; problem: string };

/** Records that link to others go first, so each removal leaves nothing pointing at a removed record. */
const removalOrder: Collection[] = [
	"channelDatabases",
	"dataGroups",
	"workingFolders",
	"profiles",
];

function kindOf(collection: Collection): AnyRecordKind {
	const section = exportSections.find(
		(candidate) => candidate.collection === collection,
	);
	if (!section) throw new Error(`no record kind for ${collection}`);
	return section.command.kind as AnyRecordKind;
}

function inRemovalOrder(manifest: DemoManifest): DemoManifest["records"] {
	return [...manifest.records].sort(
		(a, b) =>
			removalOrder.indexOf(a.collection) - removalOrder.indexOf(b.collection),
	);
}

/**
 * Why the demo's records cannot all go, or null: one changed since the demo
 * saved it, or one of the operator's own records uses it. Tried on a copy of
 * the configuration, so a refusal removes nothing.
 */
function removalProblem(
	configuration: Configuration,
	manifest: DemoManifest,
): string | null {
	let trial = configuration;
	for (const entry of inRemovalOrder(manifest)) {
		const kind = kindOf(entry.collection);
		const record = recordsOf(trial, entry.collection).find(
			(candidate) => candidate.id === entry.id,
		);
		if (!record) continue;
		if (record.version !== entry.version)
			return `${kind.title} ${quoted(kind.nameOf(record))} was changed after the demo added it, so it is yours now`;
		const change = removeRecord(trial, kind, {
			id: entry.id,
			expectedVersion: entry.version,
		});
		if (!change.ok && !change.result.ok) return describeRefusal(change.result);
		if (!change.ok) return null;
		trial = change.next;
	}
	return null;
}

/** Which plain files in a folder, and which of its folders, the demo or its clients wrote. */
type Owned = {
	files: (name: string, path: string) => Promise<boolean> | boolean;
	/**
	 * Files the demo or its clients write by a temporary file and a rename:
	 * the temporary one of them left, killed, is theirs too (its name says
	 * so, and whose it was: atomic-write.ts).
	 */
	writtenVia?: (name: string) => boolean;
	folders?: Record<string, Owned>;
	/** A folder others share (state/): emptied of this demo's files, never removed itself. */
	shared?: boolean;
};

/**
 * Removes what `owned` recognises under `folder`, then the folder if it is
 * empty. Links are never followed; anything else is left and listed.
 */
async function removeOwned(
	folder: string,
	owned: Owned,
	tally: { removed: number; left: string[] },
): Promise<void> {
	for (const entry of await listFolder(folder)) {
		const path = join(folder, entry.name);
		const inside = owned.folders?.[asLockFolder(entry.name)];
		if (entry.kind === "folder" && inside) {
			await removeOwned(path, inside, tally);
		} else if (
			entry.kind === "file" &&
			((await owned.files(entry.name, path)) ||
				leftByKilledWriter(entry.name, owned))
		) {
			if (await removePlainFile(path)) tally.removed += 1;
		} else tally.left.push(path);
	}
	if (!owned.shared && (await readdir(folder).catch(() => null))?.length === 0)
		await rmdir(folder).catch(() => {});
}

/**
 * A lock folder by the name it has in place: one being put in place
 * (`.new-`) or broken (`.broken-`) by a writer killed midway is the lock
 * too (lock.ts).
 */
function asLockFolder(name: string): string {
	return name.replace(/\.lock\.(new|broken)-\d+-[0-9a-f]+$/, ".lock");
}

/** `.NAME.<pid>.<random>.tmp` of a NAME the demo writes, whose writer is gone. */
function leftByKilledWriter(name: string, owned: Owned): boolean {
	const target = /^\.(.+)\.\d+\.[0-9a-f]+\.tmp$/.exec(name)?.[1];
	return (
		target !== undefined &&
		(owned.writtenVia?.(target) ?? false) &&
		isAbandonedTemporary(name)
	);
}

async function jsonFile(path: string): Promise<Record<string, unknown> | null> {
	const text = await readPlainText(path).catch(() => null);
	const parsed = text === null ? null : parseJson(text);
	return parsed?.ok && isObject(parsed.value) ? parsed.value : null;
}

/** The demo folder: the manifest, the clients' logs, and the two working folders. */
function demoFolderOwned(manifest: DemoManifest): Owned {
	const databases = manifest.records
		.filter((entry) => entry.collection === "channelDatabases")
		.map((entry) => entry.name);
	const groups = manifest.records
		.filter((entry) => entry.collection === "dataGroups")
		.map((entry) => entry.name);
	// A package signed for the demo's databases alone (the demo's, or one made
	// with `cdx package create` while trying it) is of no use to anyone once
	// they are gone: their passwords go with them.
	const demoPackage = async (path: string, group: string) => {
		const pkg = await jsonFile(path);
		return (
			pkg?.format === "cdx-data-package" &&
			pkg.dataGroup === group &&
			isObject(pkg.signatures) &&
			Object.keys(pkg.signatures).every((name) => databases.includes(name))
		);
	};
	const packageName = /^[0-9]{10}\.package\.json$/;
	const downloadGroup = (group: string): Owned => ({
		writtenVia: (name) => packageName.test(name) || name === "sequence.json",
		// The lock `cdx demo` (or `cdx package create`) holds to number a package.
		folders: {
			"sequence.json.lock": {
				files: () => false,
				writtenVia: (name) => name === "sequence.json",
			},
		},
		files: async (name, path) => {
			if (packageName.test(name)) return demoPackage(path, group);
			// The group's last sequence, once no package it counts is left.
			if (name !== "sequence.json") return false;
			const folder = dirname(path);
			return !(await listFolder(folder)).some((entry) =>
				entry.name.endsWith(".package.json"),
			);
		},
	});
	const uploadFolder = (database: string): Owned => ({
		writtenVia: (name) => packageName.test(name) || name === "progress.json",
		files: async (name, path) =>
			name === "progress.json" ||
			(packageName.test(name) &&
				(await jsonFile(path))?.channelDatabase === database),
	});
	return {
		writtenVia: (name) => name === "cdx-demo.json",
		files: (name) =>
			name === "cdx-demo.json" ||
			databases.some((database) => name === `${database}.log`),
		folders: {
			download: {
				files: () => false,
				folders: Object.fromEntries(
					groups.map((group) => [group, downloadGroup(group)]),
				),
			},
			upload: {
				files: () => false,
				folders: Object.fromEntries(
					databases.map((database) => [database, uploadFolder(database)]),
				),
			},
		},
	};
}

/** A channel data folder as the client leaves it: the SQLite file, where it is, the imported outbox files. */
const channelDataOwned: Owned = {
	files: (name) =>
		/^channel-database\.sqlite(-wal|-shm)?$/.test(name) ||
		name === "store.json",
	folders: {
		outbox: {
			files: () => false,
			// Rejected files stay for whoever wrote them; the folder goes when empty.
			folders: {
				sent: { files: (name) => name.endsWith(".json") },
				rejected: { files: () => false },
			},
		},
	},
};

/**
 * Takes back what `cdx demo` added to this database: its records, as long
 * as each is as the demo saved it and none of the operator's records uses
 * it, and the files the demo and its clients wrote. Refuses, removing
 * nothing, while a demo client runs or when the folder's manifest is not
 * the demo's.
 */
export async function removeDemo(settings: {
	store: ConfigurationStore;
	folder: string;
	now: Date;
}): Promise<DemoRemoved> {
	const { store, folder, now } = settings;
	const read = await readManifest(folder);
	if (read.found === "none") {
		// A demo killed before its manifest was in place added only the manifest's temporary file.
		const removedFiles = await removeLeftManifestTemporaries(folder);
		if (removedFiles > 0)
			return { ok: true, removedRecords: [], removedFiles, left: [] };
		return {
			ok: false,
			problem: `${folder}: no demo here (no cdx-demo.json); nothing was removed`,
		};
	}
	if (read.found === "unreadable")
		return { ok: false, problem: `${read.problem}; nothing was removed` };
	const { manifest } = read;
	if (manifest.database !== store.path || manifest.folder !== folder)
		return {
			ok: false,
			problem: `${folder}: the demo there belongs to ${manifest.database}, not ${store.path}; nothing was removed`,
		};
	const configuration = store.getSnapshot().configuration;
	const databases = manifest.records.filter(
		(entry) => entry.collection === "channelDatabases",
	);
	for (const entry of databases) {
		const paths = clientPaths(store.path, entry);
		if (await clientRunning(paths.stateFile, now))
			return {
				ok: false,
				problem: `the client of channel database ${quoted(entry.name)} is running: stop it first; nothing was removed`,
			};
	}
	const problem = removalProblem(configuration, manifest);
	if (problem) return { ok: false, problem: `${problem}; nothing was removed` };

	const removedRecords: string[] = [];
	for (const entry of inRemovalOrder(manifest)) {
		const kind = kindOf(entry.collection);
		const stillThere = recordsOf(
			store.getSnapshot().configuration,
			entry.collection,
		).some((record) => record.id === entry.id);
		if (!stillThere) continue;
		const outcome = await store.remove(kind, {
			id: entry.id,
			expectedVersion: entry.version,
		});
		if (!outcome.ok)
			return {
				ok: false,
				problem: `${describeRefusal(outcome)}; removed before it: ${removedRecords.join(", ") || "nothing"}`,
			};
		removedRecords.push(`${kind.title} ${entry.name}`);
	}

	const tally = { removed: 0, left: [] as string[] };
	for (const entry of databases) {
		const paths = clientPaths(store.path, entry);
		// readdir would follow a link put where the data folder was: refused.
		const dataFolder = await isRealFolder(paths.dataFolder).catch(() => null);
		if (dataFolder === null) tally.left.push(paths.dataFolder);
		else if (dataFolder)
			await removeOwned(paths.dataFolder, channelDataOwned, tally);
		const own = `${paths.fileKey}.`;
		const stateTally = { removed: 0, left: [] };
		await removeOwned(
			paths.stateFolder,
			{
				shared: true,
				files: (name) =>
					name.startsWith(own) &&
					/^(json|sessions\.jsonl|lock|run-now\.(download|upload)|session-request\..+)$/.test(
						name.slice(own.length),
					),
			},
			stateTally,
		);
		// The state folder holds every client's files: what is not this database's is not "left".
		tally.removed += stateTally.removed;
	}
	await removeOwned(folder, demoFolderOwned(manifest), tally);
	return {
		ok: true,
		removedRecords,
		removedFiles: tally.removed,
		left: tally.left,
	};
}
