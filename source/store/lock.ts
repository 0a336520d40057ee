import { randomBytes } from "node:crypto";
import {
	chown,
	lstat,
	mkdir,
	open,
	readdir,
	rename,
	rmdir,
	stat,
	truncate,
	unlink,
	utimes,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
	isAbandonedTemporary,
	isLiveProcess,
	keepOwnership,
	symlinkTarget,
	temporaryName,
} from "./atomic-write.js";

/** A lock nobody refreshed for this long belongs to a writer that is gone or stopped: it is broken. */
export const staleLockMs = 5000;
const refreshEveryMs = 1000;
/** How long a writer waits for a lock that is held and refreshed, before it gives up. */
const giveUpAfterMs = 20_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The lock was broken while this writer held it (it was stopped, or the
 * machine stalled, for longer than the stale time) and another writer may
 * have saved since: this writer's change was not written.
 */
export class LockLostError extends Error {
	override name = "LockLostError";
	readonly code = "ELOCKLOST";
}

/** The lock held, for the work done under it. */
export type HeldLock = {
	/**
	 * Replaces the locked file with `bytes` (fsynced, mode `mode`) if, and
	 * only if, this lock is still held at the rename; else LockLostError.
	 * Once per lock: a transaction writes its file once.
	 */
	replace(bytes: string | Uint8Array, mode?: number): Promise<void>;
};

/*
 * The lock is a folder, `file.lock`, renamed into place complete (see
 * acquire). Inside it the holder keeps two files whose names carry its pid and a random part: a
 * marker, there until release, and the token, which a save is written into
 * and renamed from over the file. The rename itself proves the lock is
 * still held: a writer that breaks a stale lock first renames the folder
 * away, and from then on the old holder's rename finds no token (ENOENT)
 * instead of publishing what it read before another writer's save. The
 * marker keeps the folder from being removed by anyone but its holder
 * (rmdir fails on a folder with a file in it) and tells the holder, at
 * release, whether the folder at that path is still its own.
 */
class FileLock implements HeldLock {
	private readonly marker: string;
	private readonly token: string;
	private refresher: NodeJS.Timeout | undefined;
	/** Set when a refresh found the marker gone: the lock was broken. */
	private lost = false;
	private published = false;

	constructor(
		readonly file: string,
		readonly folder: string,
	) {
		this.marker = join(folder, temporaryName(file));
		this.token = join(folder, temporaryName(file));
	}

	/** Creates the marker and the token in the folder being built. */
	async fill(building: string): Promise<void> {
		for (const path of [this.marker, this.token])
			await (await open(join(building, basename(path)), "wx", 0o600)).close();
	}

	/** Removes the folder being built, when the lock was not taken. */
	async discard(building: string): Promise<void> {
		for (const path of [this.marker, this.token])
			await unlink(join(building, basename(path))).catch(() => {});
		await rmdir(building).catch(() => {});
	}

	startRefreshing(): void {
		this.refresher = setInterval(() => void this.refresh(), refreshEveryMs);
		this.refresher.unref();
	}

	private async refresh(): Promise<void> {
		try {
			// Only while the marker is there: the folder may be someone else's by now.
			await stat(this.marker);
			const now = new Date();
			await utimes(this.folder, now, now);
		} catch {
			this.lost = true;
			clearInterval(this.refresher);
		}
	}

	async replace(bytes: string | Uint8Array, mode = 0o600): Promise<void> {
		if (this.published) throw new Error("one save per lock");
		if (this.lost) throw this.lostError();
		try {
			// "r+": the token must exist; a folder that is not ours has none.
			const handle = await open(this.token, "r+");
			try {
				await handle.chmod(mode);
				await keepOwnership(handle, this.file);
				await handle.truncate(0);
				await handle.writeFile(bytes);
				await handle.sync();
			} finally {
				await handle.close();
			}
			await rename(this.token, this.file);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === "ENOENT") {
				this.lost = true;
				throw this.lostError();
			}
			// Nothing half-written stays in the token.
			await truncate(this.token, 0).catch(() => {});
			throw error;
		}
		// From here the save is in place, even if this process stops now and loses the lock.
		this.published = true;
		const folderHandle = await open(dirname(this.file), "r");
		try {
			await folderHandle.sync();
		} finally {
			await folderHandle.close();
		}
	}

	private lostError(): LockLostError {
		return new LockLostError(
			`this process was stopped or stalled for more than ${staleLockMs / 1000} s while it held the lock, and another writer took the lock over; nothing was written, so run it again`,
		);
	}

	async release(): Promise<void> {
		clearInterval(this.refresher);
		const names = [this.marker, this.token].map((path) => basename(path));
		const ours = await unlink(this.marker).then(
			() => true,
			() => false,
		);
		if (ours) {
			await unlink(this.token).catch(() => {});
			await rmdir(this.folder).catch(() => {});
		} else {
			// The folder was broken and renamed: our files are in it there.
			await removeOwnFiles(this.file, names);
		}
	}
}

/** The name a broken lock folder is renamed to, beside the file. */
function brokenLockName(file: string): string {
	return `${basename(file)}.lock.broken-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * Removes what writers that are gone left beside `file`: broken lock
 * folders and lock folders they were building, with what is in them, and
 * the folders once empty. A file of a live (perhaps stopped) writer is
 * left for it to remove when it resumes.
 */
async function sweepLeftovers(file: string): Promise<void> {
	const folder = dirname(file);
	const prefixes = [".lock.broken-", ".lock.new-"].map(
		(suffix) => `${basename(file)}${suffix}`,
	);
	const names = await readdir(folder).catch(() => [] as string[]);
	for (const name of names) {
		if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
		// One a live writer is still building is its own.
		const builder = /\.lock\.new-(\d+)-/.exec(name)?.[1];
		if (builder !== undefined && isLiveProcess(Number(builder))) continue;
		const leftover = join(folder, name);
		// A link planted under that name is not followed: it leads to someone else's files.
		if (!(await lstat(leftover).catch(() => null))?.isDirectory()) continue;
		const inside = await readdir(leftover).catch(() => [] as string[]);
		for (const entry of inside)
			if (isAbandonedTemporary(entry))
				await unlink(join(leftover, entry)).catch(() => {});
		await rmdir(leftover).catch(() => {});
	}
}

/** A writer that lost its lock removes its files from the folder it was renamed to. */
async function removeOwnFiles(file: string, names: string[]): Promise<void> {
	const folder = dirname(file);
	const prefix = `${basename(file)}.lock.broken-`;
	for (const name of await readdir(folder).catch(() => [] as string[])) {
		if (!name.startsWith(prefix)) continue;
		const broken = join(folder, name);
		let removed = false;
		for (const own of names)
			removed =
				(await unlink(join(broken, own)).then(
					() => true,
					() => false,
				)) || removed;
		if (removed) await rmdir(broken).catch(() => {});
	}
}

/**
 * Breaks the lock folder if nobody refreshed it within the stale time, by
 * renaming it away (see FileLock). Returns whether the caller should try to
 * take the lock at once.
 */
async function breakIfStale(
	file: string,
	lockFolder: string,
): Promise<boolean> {
	let refreshed: number;
	try {
		refreshed = (await lstat(lockFolder)).mtimeMs;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
		throw error;
	}
	if (Date.now() - refreshed < staleLockMs) return false;
	const broken = join(dirname(file), brokenLockName(file));
	try {
		await rename(lockFolder, broken);
	} catch (error) {
		// Another writer broke it first, or its holder released it.
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		return true;
	}
	// Another breaker may have put a fresh lock there in between: that one goes back.
	const moved = await lstat(broken).catch(() => null);
	if (moved !== null && Date.now() - moved.mtimeMs < staleLockMs)
		await rename(broken, lockFolder).catch(() => {});
	await sweepLeftovers(file);
	return true;
}

/**
 * Takes the lock: builds the lock folder, marker and token inside, under a
 * name of its own, then renames it to `file.lock`, which fails while another
 * writer's folder (never empty) is there. So the lock folder never exists
 * without its holder's marker: a writer stopped halfway never finds itself
 * inside someone else's lock when it resumes.
 */
async function acquire(file: string): Promise<FileLock> {
	const lockFolder = `${file}.lock`;
	const building = join(
		dirname(file),
		`${basename(file)}.lock.new-${process.pid}-${randomBytes(4).toString("hex")}`,
	);
	const lock = new FileLock(file, lockFolder);
	await mkdir(building, { mode: 0o700 });
	try {
		// Made by root, the folder is the database folder owner's, so that user can break it.
		if (process.getuid?.() === 0) {
			const owner = await stat(dirname(file));
			await chown(building, owner.uid, owner.gid);
		}
		await lock.fill(building);
		const startedAt = Date.now();
		let delayMs = 5;
		for (;;) {
			// Fresh as it appears: a lock that waited its turn must not look stale at once.
			const now = new Date();
			await utimes(building, now, now);
			try {
				await rename(building, lockFolder);
				lock.startRefreshing();
				await sweepLeftovers(file);
				return lock;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
			}
			if (await breakIfStale(file, lockFolder)) continue;
			if (Date.now() - startedAt > giveUpAfterMs)
				throw Object.assign(
					new Error(`${file}: locked by another process for too long`),
					{ code: "ELOCKED" },
				);
			await pause(delayMs * (0.5 + Math.random()));
			delayMs = Math.min(100, delayMs * 1.3);
		}
	} catch (error) {
		await lock.discard(building);
		throw error;
	}
}

/**
 * Runs `work` while holding a cross-process lock on `file` (the file a
 * symlink points to, so every path to it shares one lock). A holder
 * refreshes the lock every second; one left by a killed or stopped process
 * is broken after 5 s by the next writer, so nobody waits forever, and the
 * stopped one can no longer write (HeldLock.replace) when it resumes.
 */
export async function withFileLock<T>(
	file: string,
	work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
	const lock = await acquire(await symlinkTarget(file));
	try {
		return await work(lock);
	} finally {
		await lock.release();
	}
}
