// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const sgrRun = /(?:\u001B\[[0-9;]*m)+$/;

const named: Record<string, string> = {
	"2": "dim",
	"7": "inverse",
	"31": "red",
	"32": "green",
	"33": "yellow",
	"36": "cyan",
};

/**
 * The styles switched on right before `text` in a frame with colours (SGR
 * codes), by name: ["red"], ["dim"], [] when it is plain. Null when the
 * frame does not show `text`.
 */
export function stylesBefore(frame: string, text: string): string[] | null {
	const at = frame.indexOf(text);
	if (at < 0) return null;
	const run = sgrRun.exec(frame.slice(0, at))?.[0] ?? "";
	// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
	return [...run.matchAll(/\u001B\[([0-9;]*)m/g)]
		.flatMap((match) => (match[1] ?? "").split(";"))
		.map((code) => named[code])
		.filter((name): name is string => name !== undefined);
}

/** The frame without colours, as a person reads it. */
export function withoutStyles(frame: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
	return frame.replace(/\u001B\[[0-9;]*m/g, "");
}
