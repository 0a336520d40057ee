import { watch } from "node:fs";
import { basename, dirname } from "node:path";
import type { ExecutionContext } from "ava";
import { spawnCdx } from "./cdx.js";
import { seededRandom } from "./seeded-random.js";

/** When to kill a command: `afterMs` after it starts, or after its trigger file (named by `from`) first changes. */
export type KillPoint = { afterMs: number; from: string };

/**
 * Runs `cdx ARGS` and SIGKILLs it at `point` (it may finish first): from
 * its start when `point.from` is "start", else from the first change of the
 * file `trigger`. Resolves once it exited: whether the kill landed, and how
 * long it ran (a run that finished first tells how long a whole one takes).
 */
export async function runCdxKilledAt(
	args: string[],
	point: KillPoint,
	trigger: string,
): Promise<{ landed: boolean; ms: number }> {
	const started = Date.now();
	const child = spawnCdx(args);
	let timer: NodeJS.Timeout | undefined;
	const killSoon = () => {
		timer ??= setTimeout(() => child.kill("SIGKILL"), point.afterMs);
	};
	const watcher = watch(dirname(trigger), (_event, file) => {
		if (file === basename(trigger)) killSoon();
	});
	if (point.from === "start") killSoon();
	const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
		child.on("close", (_code, closed) => resolve(closed)),
	);
	watcher.close();
	clearTimeout(timer);
	return { landed: signal === "SIGKILL", ms: Date.now() - started };
}

/**
 * The draws of `lanes` lanes of `perLane` kills each, made up front from the
 * test's seed: the lanes run at once, so drawing as they go would depend on
 * their order and a seed would not replay the same points.
 */
export function seededDraws(
	t: ExecutionContext,
	lanes: number,
	perLane: number,
): number[][] {
	const random = seededRandom(t);
	return Array.from({ length: lanes }, () =>
		Array.from({ length: perLane }, () => random()),
	);
}
