import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import {
	link,
	lstat,
	mkdir,
	open,
	readdir,
	rename,
	unlink,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncFolder } from "./files.js";

/*
 * File operations for the working folders, which headquarters and every
 * store of a group share: anyone there can plant a symbolic link where the
 * client expects a package, a reason file or a folder. Nothing here follows
 * a link: files are opened with O_NOFOLLOW (and O_EXCL when created),
 * published by write-then-link (create-only) or write-then-rename (over a
 * file the client wrote), and a link met where a file or folder is expected
 * is refused with a LinkRefused error that names it.
 */

/** A symbolic link (or something else that is not a plain file or folder) where one was expected. */
export class LinkRefused extends Error {
	override name = "LinkRefused";
	constructor(
		readonly path: string,
		found: "a symbolic link" | "not a plain file",
	) {
		super(
			`${path}: ${found} where the client expects its own file or folder; refused, not followed or replaced`,
		);
	}
}

const noFollowRead =
	constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const createOnly =
	constants.O_WRONLY |
	constants.O_CREAT |
	constants.O_EXCL |
	constants.O_NOFOLLOW;

function code(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** What lstat says is at `path`, or null when nothing is. */
async function kindAt(
	path: string,
): Promise<"file" | "folder" | "link" | "other" | null> {
	try {
		const stats = await lstat(path);
		if (stats.isSymbolicLink()) return "link";
		if (stats.isFile()) return "file";
		if (stats.isDirectory()) return "folder";
		return "other";
	} catch (error) {
		if (code(error) === "ENOENT") return null;
		throw error;
	}
}

/**
 * Makes sure `folder` is a real folder (creating it, and its parents, when
 * missing); a symbolic link there is refused, so nothing is written through it.
 */
export async function ensureRealFolder(folder: string): Promise<void> {
	const kind = await kindAt(folder);
	if (kind === null) {
		await mkdir(folder, { recursive: true, mode: 0o750 });
		return ensureRealFolder(folder);
	}
	if (kind === "link") throw new LinkRefused(folder, "a symbolic link");
	if (kind !== "folder") throw new Error(`${folder} is not a folder: refused`);
}

/** True for a real folder, false when nothing is there; a link there is refused. */
export async function isRealFolder(folder: string): Promise<boolean> {
	const kind = await kindAt(folder);
	if (kind === "link") throw new LinkRefused(folder, "a symbolic link");
	return kind === "folder";
}

/** The bytes of a plain file, or null when there is none; a link or a device there is refused. */
export async function readPlainFile(path: string): Promise<Buffer | null> {
	let handle: Awaited<ReturnType<typeof open>>;
	try {
		handle = await open(path, noFollowRead);
	} catch (error) {
		if (code(error) === "ENOENT") return null;
		if (code(error) === "ELOOP") throw new LinkRefused(path, "a symbolic link");
		throw error;
	}
	try {
		if (!(await handle.stat()).isFile())
			throw new LinkRefused(path, "not a plain file");
		return await handle.readFile();
	} finally {
		await handle.close();
	}
}

export async function readPlainText(path: string): Promise<string | null> {
	return (await readPlainFile(path))?.toString("utf8") ?? null;
}

/** A fresh file beside `path` holding `bytes`, fsynced: the first half of every publish. */
async function writeTemporary(
	path: string,
	bytes: string | Uint8Array,
	mode: number,
): Promise<string> {
	const temporary = join(
		dirname(path),
		`.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
	);
	const handle = await open(temporary, createOnly, mode);
	try {
		await handle.writeFile(bytes);
		await handle.sync();
	} catch (error) {
		await handle.close();
		await unlink(temporary).catch(() => {});
		throw error;
	} finally {
		await handle.close().catch(() => {});
	}
	return temporary;
}

export type Published =
	| { outcome: "created" }
	/** The same bytes were already there (a run killed after publishing): nothing to do. */
	| { outcome: "identical" }
	/** Something else is there; it was not touched. */
	| { outcome: "taken"; problem: string };

/**
 * Publishes `bytes` at `path` only if nothing is there: written under a
 * temporary name, then hard-linked to `path`, which fails if any file or
 * link already has that name. An existing file is never replaced.
 */
export async function publishCreateOnly(
	path: string,
	bytes: Uint8Array,
	mode: number,
): Promise<Published> {
	const temporary = await writeTemporary(path, bytes, mode);
	try {
		await link(temporary, path);
	} catch (error) {
		if (code(error) !== "EEXIST") throw error;
		return compareExisting(path, bytes);
	} finally {
		await unlink(temporary).catch(() => {});
	}
	await syncFolder(dirname(path));
	return { outcome: "created" };
}

async function compareExisting(
	path: string,
	bytes: Uint8Array,
): Promise<Published> {
	try {
		const existing = await readPlainFile(path);
		if (existing !== null && Buffer.compare(existing, bytes) === 0)
			return { outcome: "identical" };
		return {
			outcome: "taken",
			problem: `${path} already exists with other content; it was not touched`,
		};
	} catch (error) {
		return { outcome: "taken", problem: (error as Error).message };
	}
}

/**
 * Replaces a file the client itself keeps in a shared folder (its
 * progress.json): written complete under a temporary name, then renamed
 * over it, so readers see the old or the new file. A link (or anything but
 * a plain file) at `path` is refused, not replaced.
 */
export async function replaceOwnFile(
	path: string,
	bytes: string | Uint8Array,
	mode: number,
): Promise<void> {
	const kind = await kindAt(path);
	if (kind === "link") throw new LinkRefused(path, "a symbolic link");
	if (kind !== null && kind !== "file")
		throw new LinkRefused(path, "not a plain file");
	const temporary = await writeTemporary(path, bytes, mode);
	try {
		await rename(temporary, path);
	} catch (error) {
		await unlink(temporary).catch(() => {});
		throw error;
	}
	await syncFolder(dirname(path));
}

/** Creates a new file; an existing file or link of that name is an error (EEXIST), never followed. */
export async function createFile(
	path: string,
	bytes: string | Uint8Array,
	mode: number,
): Promise<void> {
	const handle = await open(path, createOnly, mode);
	try {
		await handle.writeFile(bytes);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * `name`, or `name.2`, `name.3`, …: the first name in `folder` that nothing
 * (no file, no link) has, and the name beside it for `suffix` (a reason file).
 */
export async function freeName(
	folder: string,
	name: string,
	suffix: string,
): Promise<string> {
	for (let copy = 1; ; copy += 1) {
		const candidate = join(folder, copy === 1 ? name : `${name}.${copy}`);
		if (
			(await kindAt(candidate)) === null &&
			(await kindAt(`${candidate}${suffix}`)) === null
		)
			return candidate;
	}
}

/**
 * Moves a plain file to `to`, which must not exist: linked there (which
 * never replaces anything), then unlinked here. A link at `from` is
 * refused, not moved. Throws ENOENT when `from` is gone (another client
 * moved it first).
 */
export async function moveCreateOnly(from: string, to: string): Promise<void> {
	const kind = await kindAt(from);
	if (kind === null)
		throw Object.assign(new Error(`${from}: gone`), { code: "ENOENT" });
	if (kind !== "file")
		throw new LinkRefused(
			from,
			kind === "link" ? "a symbolic link" : "not a plain file",
		);
	await link(from, to);
	await unlink(from);
	await syncFolder(dirname(to));
	if (dirname(from) !== dirname(to)) await syncFolder(dirname(from));
}

/** Copies a plain file to a new name; a link at either end is refused. */
export async function copyCreateOnly(
	from: string,
	to: string,
	mode: number,
): Promise<void> {
	const bytes = await readPlainFile(from);
	if (bytes === null)
		throw Object.assign(new Error(`${from}: gone`), { code: "ENOENT" });
	await createFile(to, bytes, mode);
	await syncFolder(dirname(to));
}

/** Removes a plain file; a link or a folder there is refused. False when it was already gone. */
export async function removePlainFile(path: string): Promise<boolean> {
	const kind = await kindAt(path);
	if (kind === null) return false;
	if (kind !== "file")
		throw new LinkRefused(
			path,
			kind === "link" ? "a symbolic link" : "not a plain file",
		);
	try {
		await unlink(path);
		return true;
	} catch (error) {
		if (code(error) === "ENOENT") return false;
		throw error;
	}
}

export type FolderEntry = {
	name: string;
	kind: "file" | "folder" | "link" | "other";
};

/** The entries of a folder as they are (links not followed), sorted by name; none when it does not exist. */
export async function listFolder(folder: string): Promise<FolderEntry[]> {
	try {
		const entries = await readdir(folder, { withFileTypes: true });
		return entries
			.map((entry) => ({
				name: entry.name,
				kind: entry.isSymbolicLink()
					? ("link" as const)
					: entry.isFile()
						? ("file" as const)
						: entry.isDirectory()
							? ("folder" as const)
							: ("other" as const),
			}))
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	} catch (error) {
		if (code(error) === "ENOENT") return [];
		throw error;
	}
}
