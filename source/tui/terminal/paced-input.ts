import { PassThrough } from "node:stream";
import { unstable_IdlePriority, unstable_scheduleCallback } from "scheduler";
import { splitPastes } from "./bracketed-paste.js";
import { gatherPastes, pasteContinuesWithinMs } from "./unmarked-paste.js";

// An escape sequence (CSI such as arrows, SS3 such as F1, or Alt+key), or
// one character: a typed "n" can open a form as surely as Enter can.
const keyPattern =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: splitting on them is the point
	/\u001B\[[0-?]*[ -/]*[@-~]|\u001BO.|\u001B\u001B?[^\u001B]?|./gsu;

/**
 * Splits what one read of the terminal brought into single key presses:
 * ":async" typed fast still opens the go-to prompt first.
 */
export function splitKeys(chunk: string): string[] {
	return chunk.match(keyPattern) ?? [];
}

/**
 * Calls back once React has rendered what the last key changed and has run
 * the effects of that render. Ink reads a key on the next tick and React
 * queues its work then, in tasks of its scheduler; an idle-priority task
 * comes after all of them. React 19 may yield once between the commit and
 * the effects, hence two rounds.
 */
export function afterReactSettles(callback: () => void): void {
	const round = (next: () => void) =>
		setImmediate(() => unstable_scheduleCallback(unstable_IdlePriority, next));
	round(() => round(callback));
}

// Ink names both the Backspace key (DEL) and the Delete key (CSI 3 ~)
// "delete", so a text field could not tell them apart; the Delete key is
// handed on as Ctrl+D, the readline key for "delete forward". Delete when
// Ink reports the two keys apart.
const deleteKey = "\u001B[3~";
const ctrlD = "\u0004";

/** A key as Ink should see it: the Delete key becomes Ctrl+D, any other stays as it is. */
export function asInkKey(key: string): string {
	return key === deleteKey ? ctrlD : key;
}

/**
 * The one pacing rule, for the terminal (pacedStdin) and the tests' keyboard
 * alike. Ink hands every key of one read (fast typing, SSH latency, tmux
 * send-keys) to the handlers of the same render, and React renders later:
 * "x", Tab, "y" arriving together would all go to the first field. Keys are
 * written one at a time instead, each once React settled from everything
 * before it, so each key meets the screen the previous key produced (and a
 * screen that just appeared has subscribed to keys in its effects). A
 * paste is one piece, however long (terminalKeys).
 */
export function keyPacer(write: (key: string) => void): {
	/** Queues keys, each a single key press (splitKeys) or a piece to hand on whole. */
	push: (...keys: string[]) => void;
	/** Resolves once every queued key was written and React settled from the last. */
	settled: () => Promise<void>;
} {
	const queue: string[] = [];
	const waiting: (() => void)[] = [];
	let running = false;
	const next = () => {
		const key = queue.shift();
		if (key === undefined) {
			running = false;
			for (const resolve of waiting.splice(0)) resolve();
			return;
		}
		write(asInkKey(key));
		afterReactSettles(next);
	};
	return {
		push(...keys) {
			queue.push(...keys);
			if (running || queue.length === 0) return;
			running = true;
			afterReactSettles(next);
		},
		settled: () =>
			running
				? new Promise((resolve) => waiting.push(resolve))
				: new Promise((resolve) => afterReactSettles(resolve)),
	};
}

/**
 * Splits each read of the terminal into key presses (splitKeys), a paste
 * whole as one piece: a bracketed one (it may span reads: bracketed-paste.ts)
 * and a long run of text the terminal did not mark (unmarked-paste.ts).
 * `now` (ms) tells a read that carries the rest of a paste from a key
 * pressed after it.
 */
export function terminalKeys(
	now: () => number = () => performance.now(),
): (chunk: string) => string[] {
	let pending = "";
	let pasteReadAt = Number.NEGATIVE_INFINITY;
	return (chunk) => {
		const readAt = now();
		const input = splitPastes(pending, chunk);
		pending = input.pending;
		const continuing = readAt - pasteReadAt <= pasteContinuesWithinMs;
		let endsInPaste = false;
		const keys = input.pieces.flatMap((piece, index) => {
			if ("pasted" in piece) return [piece.pasted];
			const typed = gatherPastes(
				splitKeys(piece.typed),
				continuing && index === 0,
			);
			endsInPaste = typed.endsInPaste && index === input.pieces.length - 1;
			return typed.pieces;
		});
		if (keys.length > 0)
			pasteReadAt = endsInPaste ? readAt : Number.NEGATIVE_INFINITY;
		return keys;
	};
}

type PacedStdin = PassThrough & {
	isTTY: boolean;
	setRawMode: (mode: boolean) => PacedStdin;
	ref: () => PacedStdin;
	unref: () => PacedStdin;
};

/** The terminal's stdin for Ink: each read split by terminalKeys, paced by keyPacer. */
export function pacedStdin(source: NodeJS.ReadStream): NodeJS.ReadStream {
	const paced = new PassThrough({ encoding: "utf8" }) as PacedStdin;
	const pacer = keyPacer((key) => paced.write(key));
	const keysOf = terminalKeys();
	source.setEncoding("utf8");
	source.on("data", (chunk: string) => pacer.push(...keysOf(chunk)));
	paced.isTTY = Boolean(source.isTTY);
	paced.setRawMode = (mode) => {
		source.setRawMode(mode);
		return paced;
	};
	paced.ref = () => {
		source.ref();
		return paced;
	};
	paced.unref = () => {
		source.unref();
		return paced;
	};
	// Ink uses only the stream and the TTY members above.
	return paced as unknown as NodeJS.ReadStream;
}
