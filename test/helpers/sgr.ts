// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const sgr = /\u001B\[([0-9;]*)m/g;

const colours: Record<string, string> = {
	"31": "red",
	"32": "green",
	"33": "yellow",
	"36": "cyan",
	"90": "gray",
};

/**
 * The styles in force where `text` begins in a frame with colours (SGR
 * codes), by name: ["red"], ["dim"], ["inverse"], [] when it is plain. Ink
 * leaves out codes between runs of the same style, so every code from the
 * start of the frame is followed. Null when the frame does not show `text`.
 */
export function stylesBefore(frame: string, text: string): string[] | null {
	const plain = withoutStyles(frame);
	const at = plain.indexOf(text);
	if (at < 0) return null;
	let colour: string | null = null;
	let dim = false;
	let inverse = false;
	let shown = 0;
	let last = 0;
	for (const match of frame.matchAll(sgr)) {
		shown += (match.index ?? 0) - last;
		last = (match.index ?? 0) + match[0].length;
		if (shown > at) break;
		for (const code of (match[1] ?? "").split(";")) {
			if (code === "0" || code === "") {
				colour = null;
				dim = false;
				inverse = false;
			} else if (code === "2") dim = true;
			else if (code === "22") dim = false;
			else if (code === "7") inverse = true;
			else if (code === "27") inverse = false;
			else if (code === "39") colour = null;
			else if (colours[code]) colour = colours[code] ?? null;
		}
	}
	return [
		...(colour ? [colour] : []),
		...(dim ? ["dim"] : []),
		...(inverse ? ["inverse"] : []),
	];
}

/** The frame without colours, as a person reads it. */
export function withoutStyles(frame: string): string {
	return frame.replace(sgr, "");
}
