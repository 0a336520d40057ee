/*
 * The bundle gives Ink and its helpers this module wherever they import
 * string-width (scripts/bundle.mjs). string-width is exact, but it is the
 * costliest part of a frame and of start-up: importing it builds an
 * Intl.Segmenter and Unicode-property regular expressions (~20 ms), its
 * first non-ASCII string compiles the emoji one (~17 ms), and each string
 * with an arrow or a box line takes ~12 µs, dozens of them a frame. Almost
 * every string cdx shows is made of characters one column wide, so those
 * are counted here; anything else goes to string-width itself, loaded once
 * the first frame is out.
 */
import { eastAsianWidth } from "get-east-asian-width";

type Options = { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean };
type StringWidth = (text: string, options?: Options) => number;

/**
 * Characters one column wide for string-width and for terminals alike:
 * printable ASCII and Latin-1 to IPA (not the soft hyphen, which takes no
 * column), the arrows, dots and lines cdx draws with, and the control
 * pictures it shows control characters as (domain/text.ts).
 */
export const oneColumnCharacter =
	/^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF↓↑…→←›—≈▾▸─•·✗⚠█░\u2400-\u2426]$/u;
const oneColumnText =
	/^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF↓↑…→←›—≈▾▸─•·✗⚠█░\u2400-\u2426]*$/u;
// Colours are the only escapes in Ink's lines; any other goes to string-width.
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escapes is the point
const colours = /\u001B\[[0-9;]*m/g;

let exact: StringWidth | null = null;
let loading = false;

function loadExact(): void {
	if (loading) return;
	loading = true;
	// After the first frame: the terminal shows something while this loads.
	setTimeout(() => {
		void import("string-width").then((module) => {
			exact = module.default;
		});
	}, 50).unref();
}

/** Until string-width has loaded: each code point by its East Asian Width, as string-width did before grapheme clusters. */
function roughWidth(text: string, options: Options): number {
	let width = 0;
	for (const character of text.replace(colours, "")) {
		const codePoint = character.codePointAt(0) ?? 0;
		if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) continue;
		width += eastAsianWidth(codePoint, {
			ambiguousAsWide: options.ambiguousIsNarrow === false,
		});
	}
	return width;
}

export default function textWidth(text: string, options: Options = {}): number {
	if (typeof text !== "string" || text.length === 0) return 0;
	const visible = text.includes("\u001B") ? text.replace(colours, "") : text;
	if (
		options.ambiguousIsNarrow !== false &&
		!options.countAnsiEscapeCodes &&
		oneColumnText.test(visible)
	)
		return visible.length;
	if (exact !== null) return exact(text, options);
	loadExact();
	return roughWidth(text, options);
}
