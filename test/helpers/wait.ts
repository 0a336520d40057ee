/** Resolves after `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` every 10 ms until it holds; throws naming `what` after
 * `timeoutMs`. For things that happen "soon" (a watcher firing), instead of
 * sleeping for a fixed, long time.
 */
export async function waitUntil(
	condition: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 1000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await pause(10);
	}
}
