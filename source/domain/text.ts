// Control characters (C0, DEL, C1) and bidirectional overrides can move the
// cursor, set the clipboard (OSC 52) or reorder a line when printed to a
// terminal. Everything that comes from data is passed through here first.
const unsafeCharacters =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
	/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text with every unsafe character replaced by a visible, inert stand-in. */
export function displayText(text: string): string {
	return text.replace(unsafeCharacters, (character) => {
		const code = character.charCodeAt(0);
		// C0 controls have Unicode "control pictures" (␛ for ESC, ␇ for BEL).
		if (code < 0x20) return String.fromCharCode(0x2400 + code);
		if (code === 0x7f) return "\u2421";
		return "\uFFFD";
	});
}

export function hasUnsafeCharacters(text: string): boolean {
	unsafeCharacters.lastIndex = 0;
	const found = unsafeCharacters.test(text);
	unsafeCharacters.lastIndex = 0;
	return found;
}

/** A value quoted for an error message: made inert and cut to a readable length. */
export function quoted(value: string, maxLength = 40): string {
	const shown =
		[...value].length > maxLength
			? `${[...value].slice(0, maxLength).join("")}…`
			: value;
	return JSON.stringify(displayText(shown));
}

// Made when first needed: a process's first Intl object loads ICU's data
// (about 25 ms), which every command paid at start-up when this was made
// on import, also those that print no number.
let numbers: Intl.NumberFormat | undefined;

/** A number as people read it, with thousands separators: "1,204". */
export function numberText(value: number): string {
	// A count, all that cdx prints, is grouped here: so a client, whose log
	// lines count rows and packages, never pays for loading ICU.
	if (Number.isSafeInteger(value))
		return String(value).replace(/\B(?=(\d{3})+$)/g, ",");
	numbers ??= new Intl.NumberFormat("en-US");
	return numbers.format(value);
}

/** A count as people write it: "1 record", "200,000 rows". */
export function countOf(count: number, one: string, many = `${one}s`): string {
	return `${numberText(count)} ${count === 1 ? one : many}`;
}

/** Length in code points, so an emoji counts as one character as a user sees it. */
export function characterCount(text: string): number {
	return [...text].length;
}

// JSON.stringify escapes C0 controls itself; these it leaves raw.
const rawInJson =
	/[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * JSON for a terminal or a pipe: like JSON.stringify, but characters that
 * JSON leaves raw and a terminal may act on (DEL, C1 controls such as the
 * 8-bit CSI, bidirectional overrides) are written as \u escapes.
 */
export function inertJson(value: unknown, indent = 2): string {
	return JSON.stringify(value, null, indent).replace(
		rawInJson,
		(character) =>
			`\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
	);
}
