import type { ExecutionContext } from "ava";
import { type CdxRun, runCdx } from "./cdx.js";
import { readBytes } from "./database.js";

/** The run succeeded and printed nothing on stderr. */
export function assertSucceeded(t: ExecutionContext, run: CdxRun): void {
	t.is(run.status, 0, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
	t.is(run.stderr, "");
}

/** The contract for errors: this exit code, and stderr is one line matching `pattern`. */
export function assertOneLineError(
	t: ExecutionContext,
	run: CdxRun,
	status: number,
	pattern: RegExp,
): void {
	t.is(run.status, status, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
	t.regex(run.stderr, /^cdx: [^\n]*\n$/, "stderr is one line");
	t.regex(run.stderr, pattern);
}

/** `cdx FORM show NAME --json` on `db` succeeds; gives the record it printed. */
export function assertShown(
	t: ExecutionContext,
	db: string,
	form: string,
	name: string,
): Record<string, unknown> {
	const run = runCdx([form, "show", name, "--json", "--db", db]);
	assertSucceeded(t, run);
	return JSON.parse(run.stdout);
}

/** Runs `command` and proves it left the file at `path` byte-identical. */
export async function assertUnchanged<T>(
	t: ExecutionContext,
	path: string,
	command: () => T,
): Promise<T> {
	const before = await readBytes(path);
	const result = command();
	t.deepEqual(await readBytes(path), before, `${path} is byte-identical`);
	return result;
}

export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
