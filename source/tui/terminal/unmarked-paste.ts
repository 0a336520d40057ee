import { hasUnsafeCharacters } from "../../domain/text.js";

/**
 * The fewest characters of text, together in one read, taken for a paste
 * the terminal did not mark (no bracketed paste: some terminals, tmux
 * `send-keys`, some SSH clients). A person's keys come one a read unless cdx
 * reads late: a 3-second stall at 120 words a minute gathers 30. Below this
 * a paste is still typed key by key, about 15 ms a key in the bin.
 */
export const unmarkedPasteLength = 32;

/**
 * A read that comes this soon after one that ended in such a paste carries
 * the rest of it (tmux's send-keys handed 3,000 characters over as reads of
 * 2,048 and 952), however short the rest is. Sooner than a person answers
 * what they see: their next key is a key.
 */
export const pasteContinuesWithinMs = 100;

/** A key that is one character a text field would take, as typed. */
function isText(key: string): boolean {
	return [...key].length === 1 && !hasUnsafeCharacters(key);
}

/**
 * The keys of one read (splitKeys), with each run of text keys that is a
 * paste gathered into one piece, to be handed on whole as a bracketed paste
 * is: into a text field it lands as one edit (the same edit the keys would
 * make one by one), anywhere else it is no key. Escape sequences, Tab,
 * Enter and other control keys are never part of a run, so they stay keys.
 * A run of one character repeated is a held key (key repeat gathered by a
 * stall, "j" held on a list), never a paste. `continuing`: the read before
 * ended in a paste moments ago, so the text this read starts with is its rest.
 */
export function gatherPastes(
	keys: readonly string[],
	continuing: boolean,
): { pieces: string[]; endsInPaste: boolean } {
	const pieces: string[] = [];
	let endsInPaste = false;
	let index = 0;
	while (index < keys.length) {
		let end = index;
		while (end < keys.length && isText(keys[end] ?? "")) end += 1;
		const run = keys.slice(index, end);
		const isPaste =
			(continuing && index === 0 && run.length > 0) ||
			(run.length >= unmarkedPasteLength && new Set(run).size > 1);
		if (isPaste) pieces.push(run.join(""));
		else pieces.push(...run);
		endsInPaste = isPaste && end === keys.length;
		// The key that ended the run, if any, is never text.
		if (end < keys.length) pieces.push(keys[end] ?? "");
		index = end + 1;
	}
	return { pieces, endsInPaste };
}
