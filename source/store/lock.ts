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
	unlink,
	utimes,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
	isAbandonedTemporary,
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
	 */
	replace(bytes: string | Uint8Array, mode?: number): Promise<void>;
};

/*
 * The lock is a folder, `file.lock`, made by mkdir (atomic). Inside it the
 * holder keeps a file whose name carries its pid and a random part: its
 * token. A save is written into the token and renamed from there over the
 * file, so the rename itself proves the lock is still held: a writer that
 * breaks a stale lock first renames the folder away, and from then on the
 * old holder's rename finds no file (ENOENT) instead of publishing what it
 * read before another writer's save. The token also keeps the folder from
 * being removed by anyone but its holder (rmdir fails on a folder with a
 * file in it).
 */
class FileLock implements HeldLock {
	private token: string;
	private refresher: NodeJS.Timeout | undefined;
	/** Set when a refresh found the token gone: the lock was broken. */
	private lost = false;
	/** While a save swaps tokens, a refresh must not take the missing one for a broken lock. */
	private replacing = false;

	constructor(
		readonly file: string,
		readonly folder: string,
	) {
		this.token = this.newTokenPath();
	}

	private newTokenPath(): string {
		return join(this.folder, temporaryName(this.file));
	}

	async createToken(): Promise<void> {
		const handle = await open(this.token, "wx", 0o600);
		await handle.close();
	}

	startRefreshing(): void {
		this.refresher = setInterval(() => void this.refresh(), refreshEveryMs);
		this.refresher.unref();
	}

	private async refresh(): Promise<void> {
		if (this.replacing) return;
		try {
			// Only while the token is there: the folder may be someone else's by now.
			await stat(this.token);
			const now = new Date();
			await utimes(this.folder, now, now);
		} catch {
			this.lost = true;
			clearInterval(this.refresher);
		}
	}

	async replace(bytes: string | Uint8Array, mode = 0o600): Promise<void> {
		if (this.lost) throw this.lostError();
		this.replacing = true;
		try {
			await this.publish(bytes, mode);
		} finally {
			this.replacing = false;
		}
	}

	private async publish(bytes: string | Uint8Array, mode: number) {
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
			await this.emptyToken();
			throw error;
		}
		// A new token keeps the folder ours for a further save and until release.
		this.token = this.newTokenPath();
		await this.createToken();
		const folderHandle = await open(dirname(this.file), "r");
		try {
			await folderHandle.sync();
		} finally {
			await folderHandle.close();
		}
	}

	/** After a failed write, the token holds nothing half-written. */
	private async emptyToken(): Promise<void> {
		await open(this.token, "r+")
			.then((handle) => handle.truncate(0).finally(() => handle.close()))
			.catch(() => {});
	}

	private lostError(): LockLostError {
		return new LockLostError(
			`this process was stopped or stalled for more than ${staleLockMs / 1000} s while it held the lock, and another writer took the lock over; nothing was written, so run it again`,
		);
	}

	async release(): Promise<void> {
		clearInterval(this.refresher);
		const removed = await unlink(this.token).then(
			() => true,
			() => false,
		);
		// Gone from the lock folder: the folder was broken and renamed, the token is in it there.
		if (removed) await rmdir(this.folder).catch(() => {});
		else await removeOwnToken(this.file, basename(this.token));
	}
}

/** The name a broken lock folder is renamed to, beside the file. */
function brokenLockName(file: string): string {
	return `${basename(file)}.lock.broken-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * Removes what writers that are gone left in broken lock folders beside
 * `file`, and the folders once empty. A token of a live (stopped) writer is
 * left for it to remove when it resumes.
 */
async function sweepBrokenLocks(file: string): Promise<void> {
	const folder = dirname(file);
	const prefix = `${basename(file)}.lock.broken-`;
	const names = await readdir(folder).catch(() => [] as string[]);
	for (const name of names) {
		if (!name.startsWith(prefix)) continue;
		const broken = join(folder, name);
		// A link planted under that name is not followed: it leads to someone else's files.
		if (!(await lstat(broken).catch(() => null))?.isDirectory()) continue;
		const inside = await readdir(broken).catch(() => [] as string[]);
		for (const entry of inside)
			if (isAbandonedTemporary(entry))
				await unlink(join(broken, entry)).catch(() => {});
		await rmdir(broken).catch(() => {});
	}
}

/** A writer that lost its lock removes its token from the folder it was renamed to. */
async function removeOwnToken(file: string, token: string): Promise<void> {
	const folder = dirname(file);
	const prefix = `${basename(file)}.lock.broken-`;
	for (const name of await readdir(folder).catch(() => [] as string[])) {
		if (!name.startsWith(prefix)) continue;
		const broken = join(folder, name);
		if (
			await unlink(join(broken, token)).then(
				() => true,
				() => false,
			)
		)
			await rmdir(broken).catch(() => {});
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
	try {
		await rename(lockFolder, join(dirname(file), brokenLockName(file)));
	} catch (error) {
		// Another writer broke it first, or its holder released it.
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
	}
	await sweepBrokenLocks(file);
	return true;
}

async function acquire(file: string): Promise<FileLock> {
	const lockFolder = `${file}.lock`;
	const startedAt = Date.now();
	let delayMs = 5;
	for (;;) {
		try {
			await mkdir(lockFolder, { mode: 0o700 });
			const lock = new FileLock(file, lockFolder);
			try {
				// Made by root, the folder is the database folder owner's, so that user can break it.
				if (process.getuid?.() === 0) {
					const owner = await stat(dirname(file));
					await chown(lockFolder, owner.uid, owner.gid);
				}
				await lock.createToken();
			} catch (error) {
				// The folder went (a breaker took it in the instant before the token): try again.
				if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
				await rmdir(lockFolder).catch(() => {});
				throw error;
			}
			lock.startRefreshing();
			await sweepBrokenLocks(file);
			return lock;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
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
