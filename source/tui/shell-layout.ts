import { frameHeightFor } from "./terminal/frame-height.js";

/** Lines of the shell besides the screen and the panel: breadcrumb, status line, footer. */
export const shellChromeLines = 3;

/** The fewest lines the live panel gets: its title, its header and one client. */
export const panelMinimumLines = 3;

export type ShellLayout = {
	/** The frame's height, one line less than the terminal's. */
	frameHeight: number;
	/** Lines of the screen above the panel (with any overlay over it). */
	bodyHeight: number;
	panelRows: number;
};

/**
 * How the terminal's lines are shared: the screen above keeps at least its
 * own minimum, the live panel gets what it asks for of the rest, and the
 * screen takes whatever the panel leaves. A panel that wants the whole
 * screen (the detail view) gets every line there is.
 */
export function shellLayout({
	rows,
	panelWanted,
	panelWholeScreen,
	screenMinimum,
}: {
	rows: number;
	panelWanted: number;
	panelWholeScreen: boolean;
	screenMinimum: number;
}): ShellLayout {
	const frameHeight = frameHeightFor(rows);
	const shared = frameHeight - shellChromeLines;
	const panelRows = Math.max(
		panelMinimumLines,
		Math.min(panelWanted, shared - (panelWholeScreen ? 0 : screenMinimum)),
	);
	return { frameHeight, bodyHeight: shared - panelRows, panelRows };
}
