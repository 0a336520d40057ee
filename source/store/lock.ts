import lockfile from "proper-lockfile";
import { symlinkTarget } from "./atomic-write.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock, waiting while another process holds it (up to about 20 s,
 * more than the 5 s after which a dead holder's lock is broken). Any other
 * failure (a read-only or full file system, no permission) is thrown at
 * once: waiting would not mend it, and proper-lockfile's own retries would
 * freeze a save for those 20 s before saying so.
 */
async function acquire(file: string): Promise<() => Promise<void>> {
	let delayMs = 5;
	for (let attempt = 0; ; attempt += 1) {
		try {
			return await lockfile.lock(file, {
				realpath: false,
				stale: 5000,
				update: 1000,
				retries: 0,
				// Critical sections take milliseconds: a lock is only compromised when
				// the machine stalled for longer than `stale`, and the save finishes anyway.
				onCompromised: () => {},
			});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || attempt >= 200)
				throw error;
			await pause(delayMs * (0.5 + Math.random()));
			delayMs = Math.min(100, delayMs * 1.3);
		}
	}
}

/**
 * Runs `work` while holding a cross-process lock on `file` (a `file.lock`
 * folder beside the file a symlink points to, which mkdir creates
 * atomically). A holder refreshes the lock's mtime every second; a lock left
 * behind by a killed process is older than the stale time and is broken by
 * the next writer, so nobody waits forever.
 */
export async function withFileLock<T>(
	file: string,
	work: () => Promise<T>,
): Promise<T> {
	const release = await acquire(await symlinkTarget(file));
	try {
		return await work();
	} finally {
		await release().catch(() => {});
	}
}
