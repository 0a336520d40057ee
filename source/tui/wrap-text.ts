import textWidth from "./terminal/text-width.js";

/** Cuts a word wider than `width` into pieces that fit. */
function breakWord(word: string, width: number): string[] {
	const pieces: string[] = [];
	let piece = "";
	for (const character of word) {
		if (piece !== "" && textWidth(piece + character) > width) {
			pieces.push(piece);
			piece = "";
		}
		piece += character;
	}
	return [...pieces, piece];
}

/**
 * The text as the lines it takes at `width` columns: broken between words,
 * a word wider than a line cut where it must. Screens that scroll count
 * and show these lines, so what they reserve is what is drawn.
 */
export function wrapText(text: string, width: number): string[] {
	const room = Math.max(1, width);
	const lines: string[] = [];
	for (const paragraph of text.split("\n")) {
		let line = "";
		for (const word of paragraph.split(" ")) {
			const joined = line === "" ? word : `${line} ${word}`;
			if (textWidth(joined) <= room) {
				line = joined;
				continue;
			}
			if (line !== "") lines.push(line);
			const pieces = breakWord(word, room);
			line = pieces.pop() ?? "";
			lines.push(...pieces);
		}
		lines.push(line);
	}
	return lines;
}
