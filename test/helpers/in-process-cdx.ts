import {
	MessageChannel,
	type MessagePort,
	receiveMessageOnPort,
	Worker,
} from "node:worker_threads";
import { compiled } from "./compiled.js";

export type CdxRequest = {
	args: string[];
	env: Record<string, string>;
	input: string;
};
export type CdxReply = {
	status: number | null;
	stdout: string;
	stderr: string;
	/** The thread ended or may be broken: the next run gets a new one. */
	restart: boolean;
};

type CdxThread = { worker: Worker; port: MessagePort; done: Int32Array };

let thread: CdxThread | null = null;

// Compiled (npm test), the thread loads the loop's JavaScript; from the
// source, cdx-worker.mjs loads the TypeScript through tsx.
const workerScript = compiled ? "./cdx-worker-loop.js" : "./cdx-worker.mjs";

function startThread(): CdxThread {
	const done = new Int32Array(new SharedArrayBuffer(4));
	const { port1, port2 } = new MessageChannel();
	const worker = new Worker(new URL(workerScript, import.meta.url), {
		workerData: { port: port2, done },
		transferList: [port2],
	});
	// The test process ends when its tests do, whatever this thread is doing.
	worker.unref();
	port1.unref();
	return { worker, port: port1, done };
}

function dropThread(): void {
	void thread?.worker.terminate();
	thread = null;
}

/**
 * `cdx ARGS` in a thread of this process (test/helpers/cdx-worker-loop.ts),
 * the commands' modules loaded once per test file: each run costs what the
 * command does, not a node start-up. It blocks until the run ends, as
 * spawnSync does, so a test reads the same way with either.
 */
export function runCdxInProcess(
	request: CdxRequest,
	timeoutMs: number,
): Omit<CdxReply, "restart"> {
	thread ??= startThread();
	const { port, done } = thread;
	Atomics.store(done, 0, 0);
	port.postMessage(request);
	if (Atomics.wait(done, 0, 0, timeoutMs) === "timed-out") {
		dropThread();
		throw new Error(
			`cdx ${request.args.join(" ")} did not finish within ${timeoutMs / 1000} s`,
		);
	}
	const reply = receiveMessageOnPort(port)?.message as CdxReply | undefined;
	if (reply === undefined) {
		dropThread();
		throw new Error(`cdx ${request.args.join(" ")} ended without a reply`);
	}
	if (reply.restart) dropThread();
	return { status: reply.status, stdout: reply.stdout, stderr: reply.stderr };
}
