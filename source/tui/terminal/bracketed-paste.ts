/**
 * Asks the terminal to mark what is pasted (bracketed paste mode, which
 * xterm, tmux and the common terminal emulators honour): the text comes
 * between `ESC [200~` and `ESC [201~` instead of as typed keys.
 */
export const enableBracketedPaste = "\u001B[?2004h";
export const disableBracketedPaste = "\u001B[?2004l";

const pasteStart = "\u001B[200~";
const pasteEnd = "\u001B[201~";

/**
 * A paste is text for the focused field, never keys: line breaks and tabs
 * become spaces (every field is one line) and other control characters go,
 * so a pasted Escape or Ctrl+S cannot act.
 */
function pastedText(text: string): string {
	return (
		text
			.replace(/[\r\n]+$/u, "")
			.replace(/[\r\n\t]+/gu, " ")
			// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
			.replace(/[\u0000-\u001F\u007F-\u009F]/gu, "")
	);
}

/** The end of `text` when it may be the start of a paste marker cut by the read (3 characters or more, so a lone Escape is never held). */
function cutMarker(text: string): string {
	const longest = Math.min(pasteStart.length - 1, text.length);
	for (let length = longest; length >= 3; length -= 1) {
		const tail = text.slice(-length);
		if (pasteStart.startsWith(tail)) return tail;
	}
	return "";
}

/** Typed keys, still to be split into single presses, or the text of one paste. */
export type InputPiece = { typed: string } | { pasted: string };

/**
 * What one read of the terminal brought, told apart: what was typed, and
 * each paste whole, so the paced input can hand a 3,000-character paste on
 * as one edit and the part a field refuses costs nothing. `pending` is what
 * the read before left unfinished: a paste whose end has not come yet, or
 * a marker cut in two.
 */
export function splitPastes(
	pending: string,
	chunk: string,
): { pieces: InputPiece[]; pending: string } {
	let text = pending + chunk;
	const pieces: InputPiece[] = [];
	for (;;) {
		const start = text.indexOf(pasteStart);
		if (start < 0) {
			const held = cutMarker(text);
			const typed = text.slice(0, text.length - held.length);
			if (typed !== "") pieces.push({ typed });
			return { pieces, pending: held };
		}
		if (start > 0) pieces.push({ typed: text.slice(0, start) });
		const end = text.indexOf(pasteEnd, start + pasteStart.length);
		if (end < 0) return { pieces, pending: text.slice(start) };
		const pasted = pastedText(text.slice(start + pasteStart.length, end));
		if (pasted !== "") pieces.push({ pasted });
		text = text.slice(end + pasteEnd.length);
	}
}
