import { assertWholeMinutes } from "./schedule-units.js";

/**
 * Deterministic spread of stores across the interval, so that thousands of
 * stores on the same profile do not all download at the same second: the
 * FNV-1a hash of the channel database ID, mapped to whole seconds in
 * [0, intervalMinutes * 60). The hash is pinned by tests; changing it would
 * move every store's schedule.
 */
export function spreadOffsetSeconds(
	channelDatabaseId: string,
	intervalMinutes: number,
): number {
	assertWholeMinutes(intervalMinutes);
	return fnv1a32(channelDatabaseId) % (intervalMinutes * 60);
}

const utf8 = new TextEncoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: all of ASCII
const asciiOnly = /^[\u0000-\u007F]*$/;

/** FNV-1a of the UTF-8 bytes of `text`. */
function fnv1a32(text: string): number {
	let hash = 0x811c9dc5;
	// Names are ASCII, whose characters are their own UTF-8 bytes: the panel
	// hashes ten thousand of them at start-up, so they are not encoded.
	const bytes = asciiOnly.test(text) ? null : utf8.encode(text);
	const length = bytes === null ? text.length : bytes.length;
	for (let index = 0; index < length; index++) {
		hash ^= bytes === null ? text.charCodeAt(index) : (bytes[index] as number);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}
