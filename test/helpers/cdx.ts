import {
	type ChildProcess,
	execFileSync,
	spawn,
	spawnSync,
} from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCdxInProcess } from "./in-process-cdx.js";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The bundled `cdx` bin, as operators run it. */
export const cdxBin = fileURLToPath(
	new URL("../../dist/cdx.js", import.meta.url),
);

/**
 * Builds dist/cdx.js when it is missing. `npm test` builds first; when ava is
 * run by hand after changing source/, run `npm run -s build` yourself (a
 * rebuild here could replace the bin under another test file's feet).
 */
export function buildCdxIfMissing(): void {
	if (existsSync(cdxBin)) return;
	execFileSync("npm", ["run", "-s", "build"], {
		cwd: projectRoot,
		stdio: "inherit",
	});
}

/** `cdx profile add NAME` with a 5-minute download and 10-minute upload interval. */
export function addProfileArgs(db: string, name: string): string[] {
	return [
		"profile",
		"add",
		name,
		"--download",
		"5",
		"--upload",
		"10",
		"--db",
		db,
	];
}

/**
 * How long one command may take before it is called hung: a command reading
 * a 50 MB db.json on a machine shared by many takes tens of seconds. Only
 * turns a hang into a failure (ava.config.js's timeout is longer).
 */
const commandHangTimeoutMs = 120_000;

export type CdxRun = { status: number | null; stdout: string; stderr: string };

export type CdxOptions = {
	/** Added to the environment; `undefined` removes a variable. */
	env?: Record<string, string | undefined>;
	/** Written to stdin (always a pipe, never a TTY). */
	input?: string;
};

/**
 * `cdx ARGS` in this process (in-process-cdx.ts), from the source: stdin is
 * `options.input` (never a TTY), stdout and stderr are collected, the exit
 * code is what the bin would exit with. CDX_DB and XDG_DATA_HOME are not
 * inherited, so a test names its database with --db or sets them itself.
 * For the bundled bin itself, runCdxBin.
 */
export function runCdx(args: string[], options: CdxOptions = {}): CdxRun {
	return runCdxInProcess(
		{ args, env: cdxEnvironment(options), input: options.input ?? "" },
		commandHangTimeoutMs,
	);
}

/**
 * Runs `node dist/cdx.js ARGS` with pipes for stdin, stdout and stderr, as
 * runCdx does in-process: for the few tests that the bundle, as operators
 * run it, behaves the same.
 */
export function runCdxBin(args: string[], options: CdxOptions = {}): CdxRun {
	const result = spawnSync(process.execPath, [cdxBin, ...args], {
		env: cdxEnvironment(options),
		input: options.input ?? "",
		encoding: "utf8",
		timeout: commandHangTimeoutMs,
	});
	if (result.error) throw result.error;
	return {
		status: result.status,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

function cdxEnvironment(options: CdxOptions): Record<string, string> {
	const env: Record<string, string | undefined> = { ...process.env };
	delete env.CDX_DB;
	delete env.XDG_DATA_HOME;
	for (const [key, value] of Object.entries(options.env ?? {}))
		env[key] = value;
	return Object.fromEntries(
		Object.entries(env).filter(
			(entry): entry is [string, string] => entry[1] !== undefined,
		),
	);
}

/**
 * Starts `node dist/cdx.js ARGS` as runCdxBin does, without waiting: for
 * processes a test kills, or runs several of at once. stdin is closed
 * (`options.input` is not used).
 */
export function spawnCdx(
	args: string[],
	options: CdxOptions = {},
): ChildProcess {
	return spawn(process.execPath, [cdxBin, ...args], {
		env: cdxEnvironment(options),
		stdio: ["ignore", "pipe", "pipe"],
	});
}

/** runCdxBin without blocking the test process, so several can run at once. */
export function runCdxAsync(
	args: string[],
	options: CdxOptions = {},
): Promise<CdxRun & { signal: NodeJS.Signals | null }> {
	const child = spawnCdx(args, options);
	let stdout = "";
	let stderr = "";
	child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
		stdout += chunk;
	});
	child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
		stderr += chunk;
	});
	return new Promise((resolve, reject) => {
		child.on("error", reject);
		child.on("close", (status, signal) =>
			resolve({ status, signal, stdout, stderr }),
		);
	});
}
