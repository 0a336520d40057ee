import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What a command reads and writes besides its arguments: its standard
 * streams and its environment. The bin runs with the process's own; a test
 * runs the CLI in-process with pipes of its own and an environment it chose
 * (test/helpers/cdx.ts), and every command and helper reads them through
 * commandContext() instead of `process`.
 */
export type CommandContext = {
	stdin: NodeJS.ReadableStream & {
		isTTY?: boolean;
		setRawMode?: (mode: boolean) => unknown;
	};
	stdout: NodeJS.WritableStream & { isTTY?: boolean };
	stderr: NodeJS.WritableStream;
	env: NodeJS.ProcessEnv;
};

const current = new AsyncLocalStorage<CommandContext>();

/** The context of the command running now: the process's own outside runInContext. */
export function commandContext(): CommandContext {
	return (
		current.getStore() ?? {
			stdin: process.stdin,
			stdout: process.stdout,
			stderr: process.stderr,
			env: process.env,
		}
	);
}

/** Runs `work` (and everything it awaits or starts) with `context` as the command context. */
export function runInContext<T>(context: CommandContext, work: () => T): T {
	return current.run(context, work);
}
