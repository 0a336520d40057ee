import { randomBytes } from "node:crypto";
import { open, readdir, realpath, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * The file `path` names, through any symlinks; a path that does not exist
 * yet names itself. Writing and locking there keeps an operator's symlink
 * (db.json → a file elsewhere) a link, and makes every path to one file
 * share one lock.
 */
export async function symlinkTarget(path: string): Promise<string> {
	try {
		return await realpath(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return path;
		throw error;
	}
}

/**
 * Replaces `file` with `text` so that a crash, a kill or a full disk leaves
 * either the old or the new content, never a mix: write a temporary file
 * beside it, fsync it, rename it over the old one, then fsync the folder so
 * the rename itself survives a power cut. The file gets mode 0600 unless
 * `mode` says otherwise (data packages are shared with headquarters' group).
 * A symlink is written through: its target is replaced, the link stays.
 */
export async function writeFileAtomically(
	path: string,
	text: string | Uint8Array,
	mode = 0o600,
): Promise<void> {
	const file = await symlinkTarget(path);
	const folder = dirname(file);
	const temporary = join(
		folder,
		`.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
	);
	try {
		const handle = await open(temporary, "wx", mode);
		try {
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temporary, file);
	} catch (error) {
		await unlink(temporary).catch(() => {});
		throw error;
	}
	const folderHandle = await open(folder, "r");
	try {
		await folderHandle.sync();
	} finally {
		await folderHandle.close();
	}
}

/**
 * Removes the temporary files a killed writer left: those of `file` (its
 * writeFileAtomically temporaries), or every `.*.tmp` in the folder. Only
 * for a writer holding the lock, when no other write can be under way.
 */
export async function removeLeftoverTemporaryFiles(
	folder: string,
	file?: string,
): Promise<void> {
	const prefix = file === undefined ? "." : `.${file}.`;
	let names: string[];
	try {
		names = await readdir(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
		throw error;
	}
	for (const name of names) {
		if (name.startsWith(prefix) && name.endsWith(".tmp"))
			await unlink(join(folder, name)).catch(() => {});
	}
}
