import lockfile from "proper-lockfile";

/**
 * Runs `work` while holding a cross-process lock on `file` (a `file.lock`
 * folder, which mkdir creates atomically). A holder refreshes the lock's
 * mtime every second; a lock left behind by a killed process is older than
 * `staleMs` and is broken by the next writer, so nobody waits forever.
 */
export async function withFileLock<T>(
	file: string,
	work: () => Promise<T>,
): Promise<T> {
	const release = await lockfile.lock(file, {
		realpath: false,
		stale: 5000,
		update: 1000,
		retries: { retries: 200, minTimeout: 5, maxTimeout: 100, factor: 1.3 },
		// Critical sections take milliseconds: a lock is only compromised when
		// the machine stalled for longer than `stale`, and the save finishes anyway.
		onCompromised: () => {},
	});
	try {
		return await work();
	} finally {
		await release().catch(() => {});
	}
}
