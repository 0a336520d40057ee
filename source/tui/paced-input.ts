import { PassThrough } from "node:stream";

// An escape sequence (CSI such as arrows, SS3 such as F1, or Alt+key), or
// one character: a typed "n" can open a form as surely as Enter can.
const keyPattern =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: splitting on them is the point
	/\u001B\[[0-?]*[ -/]*[@-~]|\u001BO.|\u001B\u001B?[^\u001B]?|./gsu;

/**
 * Splits what one read of the terminal brought into single key presses.
 * Pasted text is split too: a paste into a 60-character field takes under a
 * second, and ":async" typed fast still opens the go-to prompt first.
 */
export function splitKeys(chunk: string): string[] {
	return chunk.match(keyPattern) ?? [];
}

type PacedStdin = PassThrough & {
	isTTY: boolean;
	setRawMode: (mode: boolean) => PacedStdin;
	ref: () => PacedStdin;
	unref: () => PacedStdin;
};

/**
 * Ink hands every key of one read (fast typing, SSH latency, tmux send-keys)
 * to the handlers of the same render, so "x", Tab, "y" arriving together
 * would all go to the first field. This stream passes keys on one at a time,
 * `gapMs` apart, so each key meets the screen the previous key produced
 * (Ink's legacy React root subscribes a new screen's keys in an effect that
 * runs a few milliseconds after the render).
 */
export function pacedStdin(
	source: NodeJS.ReadStream,
	gapMs = 12,
): NodeJS.ReadStream {
	const paced = new PassThrough({ encoding: "utf8" }) as PacedStdin;
	const queue: string[] = [];
	let timer: NodeJS.Timeout | undefined;
	const deliver = () => {
		timer = undefined;
		const key = queue.shift();
		if (key === undefined) return;
		paced.write(key);
		timer = setTimeout(deliver, gapMs);
	};
	source.setEncoding("utf8");
	source.on("data", (chunk: string) => {
		queue.push(...splitKeys(chunk));
		if (timer === undefined) deliver();
	});
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
