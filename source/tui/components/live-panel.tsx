import { Box, Text } from "ink";
import { memo } from "react";
import type { ClientStatusRow } from "../../domain/live-status.js";
import {
	type Cell,
	columnGap,
	fitText,
	hiddenText,
	layoutTable,
	tableLine,
} from "../../domain/status-table.js";
import { countOf, displayText } from "../../domain/text.js";
import { keyName, useKeymap } from "../keymap.js";
import { useToneStyle } from "../tone.js";
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

/**
 * How the lines under the header are used: rows first, then the note,
 * then "N more" when rows do not fit; never more lines than there are
 * (one row at least).
 */
export function fitLines(
	clients: number,
	lines: number,
	withNote: boolean,
): { visible: number; moreLine: boolean; noteShown: boolean } {
	const note = withNote ? 1 : 0;
	if (clients + note <= lines)
		return {
			visible: Math.max(1, clients),
			moreLine: false,
			noteShown: withNote,
		};
	if (lines - 1 - note >= 1)
		return { visible: lines - 1 - note, moreLine: true, noteShown: withNote };
	if (clients <= lines)
		return { visible: clients, moreLine: false, noteShown: false };
	return lines >= 2
		? { visible: lines - 1, moreLine: true, noteShown: false }
		: { visible: 1, moreLine: false, noteShown: false };
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

type RowProps = {
	cells: readonly Cell[];
	/** Each cell's column and width, the gap after it included (none after the last). */
	columns: readonly { id: string; width: number }[];
	selected: boolean;
};

function sameRow(before: RowProps, after: RowProps): boolean {
	return (
		before.selected === after.selected &&
		before.cells.length === after.cells.length &&
		before.cells.every(
			(cell, index) =>
				cell.text === after.cells[index]?.text &&
				cell.tone === after.cells[index]?.tone &&
				before.columns[index]?.width === after.columns[index]?.width,
		)
	);
}

/**
 * One client's row: one line of text with a coloured span per cell (one
 * layout node, not one per cell), redrawn only when a cell changed. The
 * whole row is inverted when selected: the selection is the row.
 */
const PanelRow = memo(function PanelRow({
	cells,
	columns,
	selected,
}: RowProps) {
	const toneStyle = useToneStyle();
	const padded = cells.map((cell, index) =>
		cell.text.padEnd(columns[index]?.width ?? 0),
	);
	if (selected)
		return (
			<Text inverse wrap="truncate-end">
				{padded.join("")}
			</Text>
		);
	return (
		<Text wrap="truncate-end">
			{cells.map((cell, index) => (
				<Text key={columns[index]?.id} {...toneStyle(cell.tone)}>
					{padded[index]}
				</Text>
			))}
		</Text>
	);
}, sameRow);

export type PanelViewInput = Props;

/** Everything the panel shows, worked out from its rows: what LivePanel draws, and what tells whether a tick changed anything. */
export type PanelView = {
	title: string;
	focused: boolean;
	header: string;
	empty: boolean;
	rows: { key: string; cells: Cell[]; selected: boolean }[];
	columns: { id: string; width: number }[];
	more: number;
	note: Cell | null;
	/** Lines that show every client and the note: the panel asks for no more, so none stay blank. */
	wantedLines: number;
};

export function panelView({
	rows,
	now,
	machineZone,
	height,
	width,
	cursor,
	focused,
}: PanelViewInput): PanelView {
	const selected = rows[cursor];
	// Focused: about the highlighted client. Otherwise a failure somewhere is never left unsaid.
	const note = focused
		? noteOf(selected)
		: noteOf(
				rows.find((row) => row.status === "crashed" || row.problem !== null) ??
					(rows.length === 1 ? selected : undefined),
			);
	const { visible, moreLine, noteShown } = fitLines(
		rows.length,
		height - panelChromeLines,
		note !== null,
	);
	const start = windowStart(cursor, rows.length, visible);
	const shown = rows.slice(start, start + visible);
	const layout = layoutTable(shown, { now, machineZone }, width);
	const hidden = hiddenText(layout);
	const title = [
		"─ Async Clients",
		countOf(rows.length, "channel database"),
		...(focused && selected ? [`selected ${selected.channelDatabase}`] : []),
		...(hidden ? [hidden] : []),
	].join(" · ");
	return {
		title: displayText(
			`${title} ${"─".repeat(Math.max(0, width - title.length - 1))}`,
		),
		focused,
		header: tableLine(
			layout,
			layout.columns.map((column) => column.title),
		),
		empty: rows.length === 0,
		rows: shown.map((row, offset) => ({
			key: row.key,
			cells: layout.cells[offset] ?? [],
			selected: focused && start + offset === cursor,
		})),
		columns: layout.columns.map((column, index) => ({
			id: column.id,
			width:
				column.width + (index === layout.columns.length - 1 ? 0 : columnGap),
		})),
		more: moreLine ? rows.length - visible : 0,
		wantedLines: panelChromeLines + Math.max(1, rows.length) + (note ? 1 : 0),
		note:
			noteShown && note
				? { ...note, text: fitText(displayText(note.text), width) }
				: null,
	};
}

/** What a tick would change on screen; equal views need no new frame. */
export function viewSignature(view: PanelView): string {
	return JSON.stringify(view);
}

/**
 * The live panel: one row per channel database's Async Client, soonest next
 * run first, under a header with the columns' names. Columns that do not
 * fit the width are dropped, least important first, and the title says
 * which. Only the rows on screen are laid out.
 */
export function LivePanel({ view, width }: { view: PanelView; width: number }) {
	const toneStyle = useToneStyle();
	const keymap = useKeymap();
	return (
		<Box flexDirection="column" width={width}>
			<Text color={view.focused ? "cyan" : "gray"} wrap="truncate-end">
				{view.title}
			</Text>
			<Text bold wrap="truncate-end">
				{view.header}
			</Text>
			{view.empty && (
				<Text dimColor wrap="truncate-end">
					No channel database yet: add one (Channel database form) and its Async
					Client shows here.
				</Text>
			)}
			{view.rows.map((row) => (
				<PanelRow
					key={row.key}
					cells={row.cells}
					columns={view.columns}
					selected={row.selected}
				/>
			))}
			{view.more > 0 && (
				<Text dimColor wrap="truncate-end">
					{view.more} more (
					{view.focused
						? `${keyName(keymap.up)}/${keyName(keymap.down)}`
						: keyName(keymap.panel)}{" "}
					to scroll)
				</Text>
			)}
			{view.note && (
				<Text {...toneStyle(view.note.tone)} wrap="truncate-end">
					{view.note.text}
				</Text>
			)}
		</Box>
	);
}
