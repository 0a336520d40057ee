import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

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

export type CdxRun = { status: number | null; stdout: string; stderr: string };

export type CdxOptions = {
	/** Added to the environment; `undefined` removes a variable. */
	env?: Record<string, string | undefined>;
	/** Written to stdin (always a pipe, never a TTY). */
	input?: string;
};

/**
 * Runs `node dist/cdx.js ARGS` with pipes for stdin, stdout and stderr. CDX_DB
 * and XDG_DATA_HOME are not inherited, so a test names its database with
 * --db or sets them itself.
 */
export function runCdx(args: string[], options: CdxOptions = {}): CdxRun {
	const env: Record<string, string | undefined> = { ...process.env };
	delete env.CDX_DB;
	delete env.XDG_DATA_HOME;
	for (const [key, value] of Object.entries(options.env ?? {})) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	const result = spawnSync(process.execPath, [cdxBin, ...args], {
		env,
		input: options.input ?? "",
		encoding: "utf8",
		timeout: 20_000,
	});
	if (result.error) throw result.error;
	return {
		status: result.status,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}
