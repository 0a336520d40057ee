import { wrapText } from "./wrap-text.js";

/**
 * Which items to show when they do not all fit: items [start, end) of the
 * given heights, within `budget` lines, always including `focus`, starting
 * as early as that allows.
 */
export function scrollWindow(
	heights: readonly number[],
	focus: number,
	budget: number,
): { start: number; end: number } {
	const sum = (from: number, to: number) =>
		heights.slice(from, to).reduce((total, height) => total + height, 0);
	let start = 0;
	while (start < focus && sum(start, focus + 1) > budget) start += 1;
	let end = Math.min(heights.length, focus + 1);
	while (end < heights.length && sum(start, end + 1) <= budget) end += 1;
	while (start > 0 && sum(start - 1, end) <= budget) start -= 1;
	return { start, end };
}

/** Lines a text takes when wrapped at `width` columns. */
export function wrappedLines(text: string, width: number): number {
	return wrapText(text, width).length;
}

/** The keys that scroll a view of lines: a line or a page at a time. */
export const scrollActions = ["up", "down", "pageUp", "pageDown"] as const;
export type ScrollAction = (typeof scrollActions)[number];

/** The first line shown after a scroll key, `page` lines in view of `total`; never past the last page. */
export function scrolledOffset(
	offset: number,
	action: ScrollAction,
	page: number,
	total: number,
): number {
	const step =
		action === "up"
			? -1
			: action === "down"
				? 1
				: action === "pageUp"
					? -page
					: page;
	return Math.max(0, Math.min(total - page, offset + step));
}
