import { Readable, Writable } from "node:stream";
import { type MessagePort, workerData } from "node:worker_threads";
import { runCli } from "../../source/commands/run-cli.js";
import type { CdxReply, CdxRequest } from "./in-process-cdx.js";

/*
 * Runs one `cdx ARGS` at a time, as a process would: its own environment,
 * stdin from a string, stdout and stderr collected, the exit code. The
 * caller waits on `done` (Atomics) and then reads the reply from `port`.
 */
const { port, done } = workerData as { port: MessagePort; done: Int32Array };

type Output = { stdout: string[]; stderr: string[] };
let output: Output | null = null;

const textOf = (chunk: unknown) =>
	typeof chunk === "string"
		? chunk
		: Buffer.from(chunk as Uint8Array).toString();

function collector(stream: keyof Output): Writable {
	return new Writable({
		write(chunk, _encoding, callback) {
			output?.[stream].push(textOf(chunk));
			callback();
		},
	});
}

// Code that writes to process.stdout or process.stderr itself, not through
// the command context, still lands in the run's output, as in the bin's.
for (const stream of ["stdout", "stderr"] as const) {
	const original = process[stream].write.bind(process[stream]);
	process[stream].write = ((chunk: unknown, ...rest: unknown[]) => {
		if (output === null)
			return (original as (...all: unknown[]) => boolean)(chunk, ...rest);
		output[stream].push(textOf(chunk));
		const callback = rest.find((argument) => typeof argument === "function");
		(callback as (() => void) | undefined)?.();
		return true;
	}) as typeof process.stdout.write;
}

function reply(status: number | null, restart: boolean): void {
	const finished = output ?? { stdout: [], stderr: [] };
	output = null;
	const message: CdxReply = {
		status,
		stdout: finished.stdout.join(""),
		stderr: finished.stderr.join(""),
		restart,
	};
	port.postMessage(message);
	Atomics.store(done, 0, 1);
	Atomics.notify(done, 0);
}

/** The run's environment replaces the thread's (a worker's process.env is its own copy). */
function useEnvironment(environment: Record<string, string>): void {
	for (const key of Object.keys(process.env)) delete process.env[key];
	Object.assign(process.env, environment);
}

port.on("message", async (request: CdxRequest) => {
	useEnvironment(request.env);
	output = { stdout: [], stderr: [] };
	const status = await runCli(request.args, {
		stdin: Readable.from(request.input === "" ? [] : [request.input]),
		stdout: collector("stdout"),
		stderr: collector("stderr"),
		env: process.env,
	});
	// As a process does before it exits: what was written is written.
	await new Promise((resolve) => setImmediate(resolve));
	reply(status, false);
});

// process.exit() in a command ends the run with its code, as it ends the bin;
// the thread is gone, so the next run starts a new one.
process.on("exit", (code) => {
	if (output !== null) reply(code, true);
});

// What the bin would print and exit 1 for; this thread may be left in any state.
process.on("uncaughtException", (error) => {
	if (output === null) throw error;
	output.stderr.push(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	reply(1, true);
});
