import { Box, Text } from "ink";
import { memo } from "react";
import type { ClientStatusRow } from "../../domain/live-status.js";
import {
	type Cell,
	fitText,
	hiddenText,
	layoutTable,
	type TableLayout,
	tableLine,
} from "../../domain/status-table.js";
import { displayText } from "../../domain/text.js";
import { toneStyle } from "../tone.js";
import { windowStart } from "./list-page.js";

type Props = {
	rows: readonly ClientStatusRow[];
	now: Date;
	machineZone: string;
	/** Lines for the whole panel: title, header, rows and notes. */
	height: number;
	width: number;
	cursor: number;
	focused: boolean;
};

/** Lines the panel needs besides its rows: the title and the column header. */
export const panelChromeLines = 2;

/** What the panel wants to show every client with a line to spare for a note. */
export function wantedPanelLines(clients: number): number {
	return panelChromeLines + Math.max(1, clients) + 1;
}

/** What the highlighted client needs said that its row cannot: a problem, or how to start it. */
function noteOf(row: ClientStatusRow | undefined): Cell | null {
	if (!row) return null;
	if (row.problem !== null)
		return {
			text: `⚠ ${row.channelDatabase}: ${row.problem}`,
			tone: "failure",
		};
	if (row.status === "crashed")
		return {
			text: `✗ ${row.channelDatabase}'s client is gone without a clean stop; start it again: cdx client --channel-db ${row.channelDatabase}`,
			tone: "failure",
		};
	if (row.status === "stale")
		return {
			text: `${row.channelDatabase}: no heartbeat for 10 s (hung, or on another host that stopped?); times are expected ones`,
			tone: "warning",
		};
	if (!row.live)
		return {
			text: `≈ expected times, no client running: cdx client --channel-db ${row.channelDatabase}`,
			tone: "expected",
		};
	if (row.waitingFor !== null)
		return {
			text: `${row.channelDatabase} waits for package ${row.waitingFor.sequence}: ${row.waitingFor.reason}`,
			tone: "warning",
		};
	return null;
}

function CellText({ cell, width }: { cell: Cell; width: number }) {
	return (
		<Box width={width} flexShrink={0}>
			<Text {...toneStyle(cell.tone)} wrap="truncate-end">
				{cell.text}
			</Text>
		</Box>
	);
}

const PanelRow = memo(function PanelRow({
	layout,
	cells,
	selected,
}: {
	layout: TableLayout;
	cells: readonly Cell[];
	selected: boolean;
}) {
	// The whole row is inverted when selected: the selection is the row, not one cell.
	if (selected)
		return (
			<Text inverse wrap="truncate-end">
				{tableLine(
					layout,
					cells.map((cell) => cell.text),
				).padEnd(
					layout.columns.reduce((sum, column) => sum + column.width + 2, -2),
				)}
			</Text>
		);
	return (
		<Box>
			{cells.map((cell, index) => {
				const column = layout.columns[index];
				const last = index === cells.length - 1;
				return (
					<CellText
						key={column?.id ?? index}
						cell={cell}
						width={(column?.width ?? 0) + (last ? 0 : 2)}
					/>
				);
			})}
		</Box>
	);
});

/**
 * The live panel: one row per channel database's Async Client, soonest next
 * run first, under a header with the columns' names. Columns that do not
 * fit the width are dropped, least important first, and the title says
 * which. Only the rows on screen are laid out.
 */
export function LivePanel({
	rows,
	now,
	machineZone,
	height,
	width,
	cursor,
	focused,
}: Props) {
	const selected = rows[cursor];
	// Focused: about the highlighted client. Otherwise a failure somewhere is never left unsaid.
	const note = focused
		? noteOf(selected)
		: noteOf(
				rows.find((row) => row.status === "crashed" || row.problem !== null) ??
					(rows.length === 1 ? selected : undefined),
			);
	const roomForRows = Math.max(1, height - panelChromeLines - (note ? 1 : 0));
	const moreLine = rows.length > roomForRows;
	const visible = moreLine ? Math.max(1, roomForRows - 1) : roomForRows;
	const start = windowStart(cursor, rows.length, visible);
	const shown = rows.slice(start, start + visible);
	const layout = layoutTable(shown, { now, machineZone }, width);
	const hidden = hiddenText(layout);
	const title = [
		"─ Async Clients",
		`${rows.length} channel database${rows.length === 1 ? "" : "s"}`,
		...(focused && selected ? [`selected ${selected.channelDatabase}`] : []),
		...(hidden ? [hidden] : []),
	].join(" · ");
	return (
		<Box flexDirection="column" width={width}>
			<Text color={focused ? "cyan" : "gray"} wrap="truncate-end">
				{displayText(
					`${title} ${"─".repeat(Math.max(0, width - title.length - 1))}`,
				)}
			</Text>
			<Text bold wrap="truncate-end">
				{tableLine(
					layout,
					layout.columns.map((column) => column.title),
				)}
			</Text>
			{rows.length === 0 && (
				<Text dimColor wrap="truncate-end">
					No channel database yet: add one (Channel database form) and its Async
					Client shows here.
				</Text>
			)}
			{shown.map((row, offset) => (
				<PanelRow
					key={row.key}
					layout={layout}
					cells={layout.cells[offset] ?? []}
					selected={focused && start + offset === cursor}
				/>
			))}
			{moreLine && (
				<Text dimColor wrap="truncate-end">
					{rows.length - visible} more (
					{focused ? "↑/↓ to scroll" : "p to scroll"})
				</Text>
			)}
			{note && (
				<Text {...toneStyle(note.tone)} wrap="truncate-end">
					{fitText(displayText(note.text), width)}
				</Text>
			)}
		</Box>
	);
}
