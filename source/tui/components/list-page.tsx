import { Box, Text } from "ink";
import { memo } from "react";
import { displayText } from "../../domain/text.js";

export type ListColumn = {
	header: string;
	/** Fixed width in cells; 0 takes the width that is left. */
	width: number;
	alignRight?: boolean;
};

type Props = {
	columns: ListColumn[];
	/** Each row's cells as text, in column order. */
	rows: readonly (readonly string[])[];
	rowKeys: readonly string[];
	cursor: number;
	/** Lines available for rows, header excluded. */
	height: number;
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

function Cell({
	column,
	text,
	isHeader = false,
}: {
	column: ListColumn;
	text: string;
	isHeader?: boolean;
}) {
	const layout =
		column.width > 0
			? { width: column.width, flexShrink: 0 }
			: { flexGrow: 1, flexBasis: 0 };
	return (
		<Box
			{...layout}
			paddingRight={1}
			justifyContent={column.alignRight ? "flex-end" : "flex-start"}
		>
			<Text wrap="truncate-end" bold={isHeader} underline={isHeader}>
				{displayText(text)}
			</Text>
		</Box>
	);
}

const Row = memo(function Row({
	columns,
	cells,
	selected,
}: {
	columns: ListColumn[];
	cells: readonly string[];
	selected: boolean;
}) {
	return (
		<Box>
			<Text inverse={selected}>{selected ? "›" : " "}</Text>
			{columns.map((column, index) => (
				<Cell key={column.header} column={column} text={cells[index] ?? ""} />
			))}
		</Box>
	);
});

/**
 * A table that renders only the rows that fit: 10,000 records scroll as fast
 * as 10, because Ink never sees the rows outside the window.
 */
export function ListPage({
	columns,
	rows,
	rowKeys,
	cursor,
	height,
	emptyText,
}: Props) {
	const start = windowStart(cursor, rows.length, height);
	const visible = rows.slice(start, start + height);
	return (
		<Box flexDirection="column" height={height + 1}>
			<Box>
				<Text> </Text>
				{columns.map((column) => (
					<Cell
						key={column.header}
						column={column}
						text={column.header}
						isHeader
					/>
				))}
			</Box>
			{rows.length === 0 ? (
				<Text dimColor>{emptyText}</Text>
			) : (
				visible.map((cells, offset) => (
					<Row
						key={rowKeys[start + offset]}
						columns={columns}
						cells={cells}
						selected={start + offset === cursor}
					/>
				))
			)}
		</Box>
	);
}
