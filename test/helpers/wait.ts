/** Resolves after `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How long a wait for a condition goes on before it calls the test hung. It
 * is no timing target (those are in `npm run bench`): on a loaded machine a
 * watcher or a child process may take seconds, and the test must still pass.
 */
export const hangTimeoutMs = 30_000;

/**
 * Polls `condition` every 10 ms until it holds; throws naming `what` after
 * `timeoutMs`. For things that happen "soon" (a watcher firing), instead of
 * sleeping for a fixed, long time.
 */
export async function waitUntil(
	condition: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = hangTimeoutMs,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await pause(10);
	}
}
