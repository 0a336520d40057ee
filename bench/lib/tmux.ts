import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { open, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { tempFolder } from "./fixtures.js";
import { pause } from "./stats.js";

const run = promisify(execFile);

export type Terminal = {
	server: string;
	/** Where everything the program writes to the terminal goes (tmux pipe-pane). */
	outputFile: string;
	/** Starts the held program; resolves once tmux passed the signal on. */
	go(): Promise<void>;
	/** The pane's text as a terminal shows it. */
	screen(): Promise<string>;
	/** Polls the screen until `done` holds; throws after `timeoutMs`. */
	waitFor(
		done: (screen: string) => boolean,
		options?: { timeoutMs?: number; everyMs?: number },
	): Promise<string>;
	/** Waits until the program has written `text` to the terminal; watches the output file, not the screen. */
	waitForOutput(text: string, timeoutMs?: number): Promise<void>;
	/** Bytes written to the terminal so far. */
	outputBytes(): Promise<number>;
	/** send-keys: key names (Down, Enter, …) or, with literal, text. */
	keys(keys: string[], literal?: boolean): Promise<void>;
	/** Resizes the window, as a user resizing the terminal would. */
	resize(columns: number, rows: number): Promise<void>;
	/** The pid of the pane's process: the program itself (the shell execs it). */
	pid(): Promise<number>;
	/** Whether the pane's program has exited (remain-on-exit keeps the pane). */
	dead(): Promise<boolean>;
	close(): void;
};

/**
 * A private tmux server with one pane of `columns` × `rows` (no status line)
 * that will run `command`, with CI removed from the environment (Ink acts
 * differently under CI). The program is held until `go()`, after the pane's
 * output is piped to a file, so a start-up can be timed from a known moment
 * and every byte the program writes to the terminal is counted.
 */
export async function startTerminal(
	command: string,
	{ columns = 100, rows = 30 }: { columns?: number; rows?: number } = {},
): Promise<Terminal> {
	const server = `cdx-bench-${randomBytes(4).toString("hex")}`;
	const folder = await tempFolder("tmux");
	const config = join(folder, "tmux.conf");
	await writeFile(config, "set -g status off\nset -g remain-on-exit on\n");
	const script = join(folder, "run.sh");
	await writeFile(
		script,
		`tmux -L ${server} wait-for go\nexec env -u CI -u CONTINUOUS_INTEGRATION ${command}\n`,
	);
	const outputFile = join(folder, "output.bin");
	await writeFile(outputFile, "");
	const tmux = async (...args: string[]) =>
		(await run("tmux", ["-L", server, "-f", config, ...args])).stdout;
	await tmux(
		"new-session",
		"-d",
		"-x",
		String(columns),
		"-y",
		String(rows),
		`sh ${script}`,
	);
	await tmux("pipe-pane", "-o", `cat >> '${outputFile}'`);
	const terminal: Terminal = {
		server,
		outputFile,
		go: async () => {
			await tmux("wait-for", "-S", "go");
		},
		screen: () => tmux("capture-pane", "-p"),
		waitFor: async (done, { timeoutMs = 20_000, everyMs = 20 } = {}) => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const shown = await terminal.screen();
				if (done(shown)) return shown;
				if (Date.now() > deadline || (await terminal.dead()))
					throw new Error(
						`tmux: gave up waiting (${(await terminal.dead()) ? "the program exited" : `${timeoutMs} ms`}); the terminal shows:\n${shown}`,
					);
				await pause(everyMs);
			}
		},
		waitForOutput: async (text, timeoutMs = 20_000) => {
			const wanted = Buffer.from(text);
			const handle = await open(outputFile, "r");
			try {
				const deadline = Date.now() + timeoutMs;
				let seen = Buffer.alloc(0);
				let position = 0;
				let polls = 0;
				for (;;) {
					const chunk = Buffer.alloc(64 * 1024);
					const { bytesRead } = await handle.read(
						chunk,
						0,
						chunk.length,
						position,
					);
					if (bytesRead > 0) {
						position += bytesRead;
						// Keep a tail, so a marker split across two reads is still found.
						seen = Buffer.concat([
							seen.subarray(-wanted.length),
							chunk.subarray(0, bytesRead),
						]);
						if (seen.includes(wanted)) return;
						continue;
					}
					polls += 1;
					if (
						Date.now() > deadline ||
						(polls % 500 === 0 && (await terminal.dead()))
					)
						throw new Error(
							`tmux: ${JSON.stringify(text)} never reached the terminal; it shows:\n${await terminal.screen()}`,
						);
					await pause(1);
				}
			} finally {
				await handle.close();
			}
		},
		outputBytes: async () => (await stat(outputFile)).size,
		keys: async (keys, literal = false) => {
			await tmux("send-keys", ...(literal ? ["-l"] : []), ...keys);
		},
		resize: async (columns, rows) => {
			await tmux("resize-window", "-x", String(columns), "-y", String(rows));
		},
		pid: async () =>
			Number((await tmux("display", "-p", "#{pane_pid}")).trim()),
		dead: async () =>
			(await tmux("display", "-p", "#{pane_dead}")).trim() === "1",
		close: () => {
			try {
				execFileSync("tmux", ["-L", server, "kill-server"], {
					stdio: "ignore",
				});
			} catch {
				// Already gone.
			}
		},
	};
	return terminal;
}

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat. */
export async function cpuTimeMs(pid: number): Promise<number> {
	const text = await readFile(`/proc/${pid}/stat`, "utf8");
	// The command name (field 2) may hold spaces; the fields after it start at ") ".
	const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
	const ticks = Number(fields[11]) + Number(fields[12]);
	return (ticks * 1000) / clockTicksPerSecond();
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
	ticksPerSecond ??= Number(
		execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim(),
	);
	return ticksPerSecond;
}

/** Peak and current resident set size of a process, in MiB, from /proc/<pid>/status. */
export async function memoryOf(
	pid: number,
): Promise<{ peakMiB: number; currentMiB: number }> {
	const status = await readFile(`/proc/${pid}/status`, "utf8");
	const kib = (field: string) =>
		Number(
			new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ??
				Number.NaN,
		);
	return { peakMiB: kib("VmHWM") / 1024, currentMiB: kib("VmRSS") / 1024 };
}
