import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compiled } from "./compiled.js";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * test/helpers/save-profiles.ts: another operator saving profiles in its own
 * process (compiled beside this file when the tests are: no tsx start-up).
 */
export const saveProfilesScript = fileURLToPath(
	new URL(`save-profiles.${compiled ? "js" : "ts"}`, import.meta.url),
);

/**
 * Starts a helper script as its own process, a TypeScript one under tsx.
 * `prefix` goes before `node` (e.g. ["prlimit", "--fsize=16384"]) to run it
 * under a resource limit.
 */
export function spawnTypeScript(
	script: string,
	args: string[],
	prefix: string[] = [],
): ChildProcess {
	const [command = "node", ...commandArgs] = [
		...prefix,
		"node",
		...(/\.[mc]?tsx?$/.test(script) ? ["--import=tsx"] : []),
		script,
		...args,
	];
	const env: NodeJS.ProcessEnv = { ...process.env };
	// Under a limit, tsx must not write its transform cache: that write would hit it first.
	if (prefix.length > 0) env.TSX_DISABLE_CACHE = "1";
	return spawn(command, commandArgs, {
		cwd: projectRoot,
		env,
		stdio: ["ignore", "pipe", "pipe"],
	});
}

/** What a finished process printed, line by line, and how it ended. */
export type Finished = {
	lines: string[];
	stderr: string;
	code: number | null;
	signal: NodeJS.Signals | null;
};

/**
 * Collects a process's output and resolves when it has exited. `onLine` sees
 * each stdout line as it arrives (to kill the process at a chosen moment).
 */
export function finished(
	child: ChildProcess,
	onLine: (line: string) => void = () => {},
): Promise<Finished> {
	const lines: string[] = [];
	let pending = "";
	let stderr = "";
	child.stdout?.setEncoding("utf8");
	child.stderr?.setEncoding("utf8");
	child.stdout?.on("data", (chunk: string) => {
		const parts = (pending + chunk).split("\n");
		pending = parts.pop() ?? "";
		for (const line of parts) {
			lines.push(line);
			onLine(line);
		}
	});
	child.stderr?.on("data", (chunk: string) => {
		stderr += chunk;
	});
	return new Promise((resolve, reject) => {
		child.on("error", reject);
		child.on("close", (code, signal) =>
			resolve({ lines, stderr, code, signal }),
		);
	});
}

/** The JSON lines save-profiles.ts printed, one per save. */
export type SaveReport = {
	name: string;
	ok: boolean;
	reason?: string;
	message?: string;
	/** Set for an edit of the SHARED profile; `version` is what a landed edit got. */
	edit?: boolean;
	version?: number;
};

export function saveReports(lines: string[]): SaveReport[] {
	return lines
		.filter((line) => line.startsWith("{"))
		.map((line) => JSON.parse(line) as SaveReport);
}
