import { useState } from "react";
import { scrollActions, scrolledOffset } from "../scroll-window.js";
import { useActions } from "./use-actions.js";

export type LineScroll = {
	/** Lines [start, end) are in view. */
	start: number;
	end: number;
	/** Not every line fits: two of the lines are the "more" markers. */
	scrolls: boolean;
};

/**
 * A view of `total` lines in `room` lines that scrolls with ↑/↓ (a line) and
 * PgUp/PgDn (a page) while `isActive`; when they do not all fit, two of the
 * lines are left for the markers above and below.
 */
export function useLineScroll(
	total: number,
	room: number,
	isActive: boolean,
): LineScroll {
	const [offset, setOffset] = useState(0);
	const scrolls = total > room;
	const page = scrolls ? Math.max(1, room - 2) : Math.max(1, room);
	const start = Math.max(0, Math.min(offset, total - page));
	useActions(
		scrollActions,
		Object.fromEntries(
			scrollActions.map((action) => [
				action,
				() => setOffset(scrolledOffset(start, action, page, total)),
			]),
		),
		isActive,
	);
	return { start, end: Math.min(total, start + page), scrolls };
}
