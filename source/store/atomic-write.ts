import { randomBytes } from "node:crypto";
import {
	type FileHandle,
	open,
	readdir,
	realpath,
	rename,
	stat,
	unlink,
} from "node:fs/promises";
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

/** A temporary file's name: the writer's pid in it says whether it may be removed. */
export function temporaryName(file: string): string {
	return `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

/** Whether process `pid` runs (or is stopped: a stopped writer resumes). */
export function isLiveProcess(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, as another user.
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}

/** A temporary file of a writer that is gone; one whose name carries no pid is never touched. */
export function isAbandonedTemporary(name: string): boolean {
	const pid = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1];
	return pid !== undefined && !isLiveProcess(Number(pid));
}

/**
 * Run as root (sudo cdx …), a file written over keeps its owner and group,
 * and a new one takes those of its folder: the service that runs as its own
 * user must still be able to read and replace it.
 */
export async function keepOwnership(
	handle: FileHandle,
	file: string,
): Promise<void> {
	if (process.getuid?.() !== 0) return;
	const owner = await stat(file).catch(() => stat(dirname(file)));
	if (owner.uid !== 0 || owner.gid !== 0)
		await handle.chown(owner.uid, owner.gid);
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
	const temporary = join(folder, temporaryName(file));
	try {
		const handle = await open(temporary, "wx", mode);
		try {
			await keepOwnership(handle, file);
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
 * writeFileAtomically temporaries), or every `.*.tmp` in the folder. A file
 * whose writer still runs is left alone: it may only be stopped (Ctrl+Z),
 * and it will finish or remove its file when it resumes. Resolves to how
 * many it removed.
 */
export async function removeLeftoverTemporaryFiles(
	folder: string,
	file?: string,
): Promise<number> {
	const prefix = file === undefined ? "." : `.${file}.`;
	let names: string[];
	try {
		names = await readdir(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
		throw error;
	}
	let removed = 0;
	for (const name of names) {
		if (name.startsWith(prefix) && isAbandonedTemporary(name))
			await unlink(join(folder, name)).then(
				() => {
					removed += 1;
				},
				() => {},
			);
	}
	return removed;
}
