import { Box, Text } from "ink";
import { memo } from "react";
import { type LaidOutColumn, rowLine } from "../column-layout.js";

export type ListColumn = LaidOutColumn;

export type SortOrder = { column: number; descending: boolean };

type Props = {
	columns: readonly ListColumn[];
	/** Each column's width in cells (column-layout.ts). */
	widths: readonly number[];
	/** Each row's cells as text, in column order. */
	rows: readonly (readonly string[])[];
	rowKeys: readonly string[];
	cursor: number;
	/** Lines available for rows, header excluded. */
	height: number;
	sort: SortOrder;
	emptyText: string;
};

/** The first row to show so the cursor stays visible, kept near the middle when scrolling. */
export function windowStart(
	cursor: number,
	total: number,
	height: number,
): number {
	if (total <= height) return 0;
	const start = cursor - Math.floor(height / 2);
	return Math.max(0, Math.min(start, total - height));
}

// One Text per row: the selected row is inverse from edge to edge, gaps included.
const Row = memo(function Row({
	columns,
	widths,
	cells,
	selected,
}: {
	columns: readonly ListColumn[];
	widths: readonly number[];
	cells: readonly string[];
	selected: boolean;
}) {
	return (
		<Text inverse={selected} wrap="truncate-end">
			{rowLine(columns, widths, cells, selected ? "›" : " ")}
		</Text>
	);
});

/**
 * A table that renders only the rows that fit: 10,000 records scroll as fast
 * as 10, because Ink never sees the rows outside the window.
 */
export function ListPage({
	columns,
	widths,
	rows,
	rowKeys,
	cursor,
	height,
	sort,
	emptyText,
}: Props) {
	const start = windowStart(cursor, rows.length, height);
	const visible = rows.slice(start, start + height);
	const headers = columns.map((column, index) =>
		index === sort.column
			? `${column.header} ${sort.descending ? "↓" : "↑"}`
			: column.header,
	);
	return (
		<Box flexDirection="column" height={height + 1}>
			<Text bold wrap="truncate-end">
				{rowLine(
					columns.map(({ header }) => ({ header })),
					widths,
					headers,
					" ",
				)}
			</Text>
			{rows.length === 0 ? (
				<Text dimColor>{emptyText}</Text>
			) : (
				visible.map((cells, offset) => (
					<Row
						key={rowKeys[start + offset]}
						columns={columns}
						widths={widths}
						cells={cells}
						selected={start + offset === cursor}
					/>
				))
			)}
		</Box>
	);
}
