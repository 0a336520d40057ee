import { type FSWatcher, watch } from "node:fs";
import {
	access,
	mkdir,
	open,
	readdir,
	readFile,
	rename,
	stat,
} from "node:fs/promises";
import { dirname } from "node:path";
import { parseJson } from "../domain/json-text.js";

/** Data packages and the files headquarters reads: owner writes, group reads. */
export const sharedFileMode = 0o640;

/**
 * A file still being written: writers (this client, headquarters, the POS)
 * write under a name starting with "." or ending in ".tmp" and rename it
 * when complete. Readers skip such names.
 */
export function isTemporaryName(name: string): boolean {
	return name.startsWith(".") || name.endsWith(".tmp");
}

export function isMissing(error: unknown): boolean {
	return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

export async function fileExists(path: string): Promise<boolean> {
	return access(path).then(
		() => true,
		() => false,
	);
}

/** The complete files of a folder, sorted by name; none when the folder does not exist. */
export async function listCompleteFiles(folder: string): Promise<string[]> {
	try {
		const entries = await readdir(folder, { withFileTypes: true });
		return entries
			.filter((entry) => entry.isFile() && !isTemporaryName(entry.name))
			.map((entry) => entry.name)
			.sort();
	} catch (error) {
		if (isMissing(error)) return [];
		throw error;
	}
}

/** The text of a file, or null when it does not exist. */
export async function readTextIfPresent(file: string): Promise<string | null> {
	try {
		return await readFile(file, "utf8");
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
}

/** Parsed JSON of a file, or null when it does not exist; a damaged file throws, naming it. */
export async function readJsonIfPresent(file: string): Promise<unknown> {
	const text = await readTextIfPresent(file);
	if (text === null) return null;
	const parsed = parseJson(text);
	if (!parsed.ok) throw new Error(`${file}: ${parsed.problem}`);
	return parsed.value;
}

/** Makes renames and creations in `folder` survive a power cut. */
export async function syncFolder(folder: string): Promise<void> {
	const handle = await open(folder, "r");
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Moves a file within one file system, durably: the rename is synced in both folders. */
export async function moveDurably(from: string, to: string): Promise<void> {
	await mkdir(dirname(to), { recursive: true, mode: 0o750 });
	await rename(from, to);
	await syncFolder(dirname(to));
	if (dirname(from) !== dirname(to)) await syncFolder(dirname(from));
}

/**
 * Calls `onChange` when a file whose name starts with `prefix` appears or
 * changes in `folder` (or when the system does not say which). Returns
 * undefined where watching is not possible: callers also look on their own.
 */
export function watchNames(
	folder: string,
	prefix: string,
	onChange: () => void,
): FSWatcher | undefined {
	try {
		return watch(folder, (_event, name) => {
			if (name === null || name.startsWith(prefix)) onChange();
		});
	} catch {
		return undefined;
	}
}

/** True when `path` is an existing folder. */
export async function isFolder(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isDirectory();
	} catch {
		return false;
	}
}
