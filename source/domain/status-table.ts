import type { CurrentRun } from "./client-state.js";
import type { ClientStatusRow } from "./live-status.js";
import type { Direction } from "./profile-schedule.js";
import {
	lastRunText,
	leftMinutesText,
	leftText,
	progressBar,
	runTimeText,
} from "./status-words.js";
import { countOf, displayText, numberText } from "./text.js";

/*
 * The live panel's table, shared by the TUI and `cdx status`: the columns,
 * what each cell says, how it should look, and which columns fit a width.
 */

/**
 * How a cell should look. failure: red (a failed run, a crashed client, a
 * problem); warning: yellow (stale, waiting, rescheduling); expected: dim
 * (times the profile gives, no client running); good: green (running).
 * The text always says the same in words or symbols.
 */
export type Tone = "failure" | "warning" | "expected" | "good" | "plain";

export type Cell = { text: string; tone: Tone };

export type CellContext = {
	now: Date;
	/** The machine's own time zone: times in another zone name it. */
	machineZone: string;
};

export type ColumnId =
	| "channelDatabase"
	| "status"
	| "nextDownload"
	| "downloadLeft"
	| "nextUpload"
	| "uploadLeft"
	| "lastDownload"
	| "lastUpload";

type Column = {
	id: ColumnId;
	title: string;
	/** How the header names it when hidden (both LEFT columns are titled alike). */
	hiddenName: string;
	/** Cells are cut to this many columns; the title is never cut. */
	maxWidth: number;
	cell: (row: ClientStatusRow, context: CellContext) => Cell;
};

const none: Cell = { text: "—", tone: "plain" };

/** The word for a client's state, and for what it is doing now. */
export function statusCell(row: ClientStatusRow): Cell {
	const cell = statusWord(row);
	// A problem (an unreadable state file, a configuration the client cannot use) is a failure whatever the status.
	return row.problem !== null && row.status !== "not-started"
		? { text: `⚠ ${cell.text}`, tone: "failure" }
		: cell;
}

function statusWord(row: ClientStatusRow): Cell {
	switch (row.status) {
		case "crashed":
			return { text: "✗ crashed", tone: "failure" };
		case "stale":
			return { text: "stale", tone: "warning" };
		case "stopped":
			return { text: "stopped", tone: "expected" };
		case "not-started":
			return { text: "not started", tone: "expected" };
		case "running":
			break;
		default: {
			const never: never = row.status;
			return never;
		}
	}
	if (row.rescheduling) return { text: "rescheduling…", tone: "warning" };
	const run = row.currentRun;
	if (run !== null) return { text: currentRunText(run), tone: "good" };
	if (row.waitingFor !== null)
		return {
			text: `waiting for package ${row.waitingFor.sequence}`,
			tone: "warning",
		};
	return { text: "running", tone: "good" };
}

/** `↓ 3/10 packages`, `↑ 1,200 rows` (the rows the upload has taken so far), or `running ↑` before it counts. */
function currentRunText(run: CurrentRun): string {
	const arrow = run.direction === "download" ? "↓" : "↑";
	if (run.total === 0) return `running ${arrow}`;
	const unit = run.unit ?? "packages";
	// "0/1 packages" reads as done out of the packages there are: plural either way.
	return unit === "rows"
		? `${arrow} ${countOf(run.total, "row")}`
		: `${arrow} ${numberText(run.done)}/${numberText(run.total)} ${unit}`;
}

function nextCell(direction: Direction, left: boolean) {
	return (row: ClientStatusRow, { now, machineZone }: CellContext): Cell => {
		const at = direction === "download" ? row.nextDownloadAt : row.nextUploadAt;
		if (at === null) return none;
		// Times the profile gives, with no client running to confirm them: marked ≈ and dim,
		// and counted in minutes (thousands of such rows need not redraw every second).
		const mark = row.live ? "" : "≈";
		const text = !left
			? runTimeText(at, now, row.timeZone, machineZone)
			: row.live
				? leftText(at, now)
				: leftMinutesText(at, now);
		return { text: `${mark}${text}`, tone: row.live ? "plain" : "expected" };
	};
}

function lastCell(direction: Direction) {
	return (row: ClientStatusRow, { now }: CellContext): Cell => {
		const run = direction === "download" ? row.lastDownload : row.lastUpload;
		if (run === null) return none;
		return {
			text: lastRunText(run, direction, now),
			tone: run.status === "Failed" ? "failure" : "plain",
		};
	};
}

/** The columns in the order they are shown. */
const columns: readonly Column[] = [
	{
		id: "channelDatabase",
		title: "CHANNEL DB",
		hiddenName: "CHANNEL DB",
		maxWidth: 20,
		cell: (row) => ({ text: displayText(row.channelDatabase), tone: "plain" }),
	},
	{
		id: "status",
		title: "STATUS",
		hiddenName: "STATUS",
		maxWidth: 26,
		cell: statusCell,
	},
	{
		id: "nextDownload",
		title: "NEXT DOWNLOAD",
		hiddenName: "NEXT DOWNLOAD",
		maxWidth: 24,
		cell: nextCell("download", false),
	},
	{
		id: "downloadLeft",
		title: "LEFT",
		hiddenName: "download LEFT",
		maxWidth: 8,
		cell: nextCell("download", true),
	},
	{
		id: "nextUpload",
		title: "NEXT UPLOAD",
		hiddenName: "NEXT UPLOAD",
		maxWidth: 24,
		cell: nextCell("upload", false),
	},
	{
		id: "uploadLeft",
		title: "LEFT",
		hiddenName: "upload LEFT",
		maxWidth: 8,
		cell: nextCell("upload", true),
	},
	{
		id: "lastDownload",
		title: "LAST DOWNLOAD",
		hiddenName: "LAST DOWNLOAD",
		maxWidth: 40,
		cell: lastCell("download"),
	},
	{
		id: "lastUpload",
		title: "LAST UPLOAD",
		hiddenName: "LAST UPLOAD",
		maxWidth: 40,
		cell: lastCell("upload"),
	},
];

/** The least important column goes first when the width shrinks. */
const dropOrder: readonly ColumnId[] = [
	"lastUpload",
	"lastDownload",
	"uploadLeft",
	"downloadLeft",
];

/** The space between two columns. */
export const columnGap = 2;
const progressBarWidth = 10;

export type PlacedColumn = { id: ColumnId; title: string; width: number };

export type TableLayout = {
	columns: PlacedColumn[];
	/** What the header says is hidden, least important first; empty when all fit. */
	hidden: string[];
	/** Each row's cells, in the order of `columns`, cut to the column's width. */
	cells: Cell[][];
};

/** `text` cut to `width` columns, with "…" where it was cut (cells hold one-column characters). */
export function fitText(text: string, width: number): string {
	const characters = [...text];
	if (characters.length <= width) return text;
	return width <= 0 ? "" : `${characters.slice(0, width - 1).join("")}…`;
}

function progressOf(
	row: ClientStatusRow,
): { done: number; total: number } | null {
	const run = row.currentRun;
	return row.live && !row.rescheduling && run !== null && run.total > 0
		? run
		: null;
}

/**
 * The columns that fit `width` for these rows (the ones on screen), with
 * their cells: each column as wide as its widest cell, up to its limit;
 * the least important columns dropped first; a current run's progress bar
 * added to its status where there is room.
 */
export function layoutTable(
	rows: readonly ClientStatusRow[],
	context: CellContext,
	width: number,
): TableLayout {
	const cellsByColumn = columns.map((column) =>
		rows.map((row) => column.cell(row, context)),
	);
	const natural = columns.map((column, index) =>
		Math.max(
			column.title.length,
			...(cellsByColumn[index] ?? []).map((cell) =>
				Math.min(column.maxWidth, [...cell.text].length),
			),
		),
	);
	const shown = new Set(columns.map((column) => column.id));
	const total = () =>
		columns.reduce(
			(sum, column, index) =>
				shown.has(column.id) ? sum + (natural[index] ?? 0) + columnGap : sum,
			-columnGap,
		);
	const hidden: string[] = [];
	for (const id of dropOrder) {
		if (total() <= width) break;
		shown.delete(id);
		hidden.push(columns.find((column) => column.id === id)?.hiddenName ?? id);
	}
	const statusIndex = columns.findIndex((column) => column.id === "status");
	const overflow = total() - width;
	// Still too wide with only the essential columns: the flexible ones give way.
	if (overflow > 0) {
		const statusWidth = natural[statusIndex] ?? 0;
		natural[statusIndex] = Math.max("STATUS".length, statusWidth - overflow);
		const left = total() - width;
		if (left > 0) natural[0] = Math.max(6, (natural[0] ?? 0) - left);
	}
	const withProgress = rows.some((row) => progressOf(row) !== null);
	if (withProgress && width - total() >= progressBarWidth + 1)
		natural[statusIndex] = (natural[statusIndex] ?? 0) + progressBarWidth + 1;
	const placed: PlacedColumn[] = [];
	const indexes: number[] = [];
	columns.forEach((column, index) => {
		if (!shown.has(column.id)) return;
		placed.push({
			id: column.id,
			title: column.title,
			width: natural[index] ?? 0,
		});
		indexes.push(index);
	});
	const cells = rows.map((row, rowIndex) =>
		indexes.map((columnIndex, placedIndex) => {
			const cell = cellsByColumn[columnIndex]?.[rowIndex] ?? none;
			const cellWidth = placed[placedIndex]?.width ?? 0;
			const progress = columnIndex === statusIndex ? progressOf(row) : null;
			const roomForBar =
				progress !== null &&
				cellWidth - [...cell.text].length >= progressBarWidth + 1;
			const text = roomForBar
				? `${cell.text.padEnd(cellWidth - progressBarWidth - 1)} ${progressBar(progress.done, progress.total, progressBarWidth)}`
				: cell.text;
			return { text: fitText(text, cellWidth), tone: cell.tone };
		}),
	);
	return { columns: placed, hidden, cells };
}

/** "hidden: LAST UPLOAD, LAST DOWNLOAD" for the header; "" when nothing is. */
export function hiddenText(layout: TableLayout): string {
	return layout.hidden.length === 0
		? ""
		: `hidden: ${layout.hidden.join(", ")}`;
}

/** One line of the table as plain text, columns padded, the last one not. */
export function tableLine(
	layout: TableLayout,
	texts: readonly string[],
): string {
	return texts
		.map((text, index) =>
			index === texts.length - 1
				? text
				: text.padEnd(layout.columns[index]?.width ?? 0),
		)
		.join(" ".repeat(columnGap))
		.trimEnd();
}
