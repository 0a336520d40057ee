import { displayText } from "../domain/text.js";
import textWidth from "./terminal/text-width.js";

export type LaidOutColumn = {
	header: string;
	alignRight?: boolean;
	/** Takes the width the others leave (Description); else the last column does. */
	grows?: boolean;
};

/** Cells between columns. */
export const columnGap = 1;
/** The selection marker before each row. */
export const markerWidth = 1;
/** Room after a header for its sort arrow. */
const arrowWidth = 2;
/** No column but the growing one is wider than this: a long path is cut, not the others. */
const maxNaturalWidth = 40;

/**
 * Each column as wide as its widest cell or header (packed to content), the
 * growing column taking what is left of `width`. When even that does not
 * fit, the widest columns give way first, down to their header.
 */
export function columnWidths(
	columns: readonly LaidOutColumn[],
	rows: readonly (readonly string[])[],
	width: number,
): number[] {
	const growing = Math.max(
		0,
		columns.findIndex((column) => column.grows),
	);
	const grower = columns.some((column) => column.grows)
		? growing
		: columns.length - 1;
	const natural = columns.map((column, index) => {
		let widest = textWidth(column.header) + arrowWidth;
		for (const row of rows)
			widest = Math.max(widest, textWidth(displayText(row[index] ?? "")));
		return index === grower ? widest : Math.min(widest, maxNaturalWidth);
	});
	const minimum = columns.map(
		(column) => textWidth(column.header) + arrowWidth,
	);
	const available =
		width - markerWidth - columnGap * Math.max(0, columns.length - 1);
	const widths = [...natural];
	const others = () =>
		widths.reduce(
			(sum, value, index) => sum + (index === grower ? 0 : value),
			0,
		);
	// The growing column gets the rest; first make room for at least its header.
	let excess = others() + (minimum[grower] ?? 0) - available;
	while (excess > 0) {
		let widest = -1;
		for (const [index, value] of widths.entries())
			if (
				index !== grower &&
				value > (minimum[index] ?? 0) &&
				(widest < 0 || value > (widths[widest] ?? 0))
			)
				widest = index;
		if (widest < 0) break;
		widths[widest] = (widths[widest] ?? 0) - 1;
		excess -= 1;
	}
	widths[grower] = Math.max(minimum[grower] ?? 0, available - others());
	return widths;
}

/** The text cut or padded to exactly `width` cells; a cut ends in "…". */
export function fitText(
	text: string,
	width: number,
	alignRight = false,
): string {
	const shown = displayText(text);
	const used = textWidth(shown);
	if (used <= width) {
		const padding = " ".repeat(width - used);
		return alignRight ? padding + shown : shown + padding;
	}
	let cut = "";
	let cutWidth = 0;
	for (const character of shown) {
		const characterWidth = textWidth(character);
		if (cutWidth + characterWidth > width - 1) break;
		cut += character;
		cutWidth += characterWidth;
	}
	return `${cut}…${" ".repeat(Math.max(0, width - 1 - cutWidth))}`;
}

/** One row as one line: the marker, then each cell fitted to its column. */
export function rowLine(
	columns: readonly LaidOutColumn[],
	widths: readonly number[],
	cells: readonly string[],
	marker: string,
): string {
	return (
		marker +
		columns
			.map((column, index) =>
				fitText(cells[index] ?? "", widths[index] ?? 0, column.alignRight),
			)
			.join(" ".repeat(columnGap))
	);
}
