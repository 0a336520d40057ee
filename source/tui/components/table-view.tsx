import { Box, Text } from "ink";
import { useEffect, useMemo, useRef, useState } from "react";
import { countOf, displayText, numberText } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { columnWidths } from "../column-layout.js";
import { useActions } from "../hooks/use-actions.js";
import {
	type ActionId,
	type DisabledReasons,
	keyName,
	useKeymap,
} from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { ConfirmDialog, confirmDialogHeight } from "./confirm-dialog.js";
import { type ListColumn, ListPage, type SortOrder } from "./list-page.js";

export type { SortOrder };

import { TextField, textFieldActions } from "../terminal/text-field.js";

/** A y/n question about the list, answered in a dialog under it. */
export type Question = { text: string; onAnswer: (yes: boolean) => void };

/** Rows of the list that stay in view above a question, however long it is. */
const rowsBesideQuestion = 3;

/** One row: a stable key and the cells the operator reads. */
export type TableItem = { key: string; cells: readonly string[] };

const navigationActions: readonly ActionId[] = [
	"filter",
	"sortNext",
	"sortPrevious",
	"sort",
	"back",
	"up",
	"down",
	"pageUp",
	"pageDown",
	"first",
	"last",
	"goto",
	"panel",
	"help",
	"quit",
];
/** Rows a list keeps on screen at least when the live panel wants room. */
const minimumListRows = 5;

/** Lines a list needs at least: the count line, the header and a few rows (all of them when fewer). */
export function listMinimumRows(rowCount: number): number {
	return 2 + Math.min(minimumListRows, Math.max(1, rowCount));
}

const filterActions: readonly ActionId[] = [
	"keepFilter",
	"cancel",
	...textFieldActions,
];

// As localeCompare with these options, without setting up a collator per comparison.
const textOrder = new Intl.Collator(undefined, {
	sensitivity: "base",
	numeric: true,
});

/** The items in the given order: by one column, text as people sort it, numbers by value. */
export function sortItems(
	items: readonly TableItem[],
	columns: readonly ListColumn[],
	sort: SortOrder,
): TableItem[] {
	const numeric = columns[sort.column]?.alignRight ?? false;
	const compare = (a: string, b: string) =>
		numeric ? Number(a) - Number(b) : textOrder.compare(a, b);
	const sorted = [...items].sort((a, b) =>
		compare(a.cells[sort.column] ?? "", b.cells[sort.column] ?? ""),
	);
	return sort.descending ? sorted.reverse() : sorted;
}

/**
 * Finds the items containing a typed text in any cell, ignoring case, in
 * their order. A filter is typed a key at a time: a text that contains an
 * earlier one is looked for only among what that one found, and a key
 * erased gives back what was found before, so a key costs far less than a
 * search of ten thousand rows.
 */
export class ItemSearch {
	readonly #items: readonly TableItem[];
	/** Each item's cells in lower case, as one text (typed text cannot hold the separator). */
	readonly #texts: readonly string[];
	/** Recent searches: indices and items found, by lower-case text. */
	readonly #found = new Map<
		string,
		{ indices: number[]; items: TableItem[] }
	>();

	constructor(items: readonly TableItem[]) {
		this.#items = items;
		this.#texts = items.map((item) =>
			item.cells.map((cell) => cell.toLowerCase()).join("\u0000"),
		);
	}

	filter(filter: string): readonly TableItem[] {
		const wanted = filter.trim().toLowerCase();
		if (wanted === "") return this.#items;
		const known = this.#found.get(wanted);
		if (known) return known.items;
		let within: number[] | null = null;
		for (const [earlier, { indices }] of this.#found)
			if (
				wanted.includes(earlier) &&
				indices.length < (within?.length ?? Infinity)
			)
				within = indices;
		const indices = (within ?? this.#items.map((_, index) => index)).filter(
			(index) => this.#texts[index]?.includes(wanted),
		);
		const items = indices.map((index) => this.#items[index] as TableItem);
		// A filter is a few keys long: the last few dozen searches are all that is reused.
		if (this.#found.size >= 32)
			this.#found.delete(this.#found.keys().next().value as string);
		this.#found.set(wanted, { indices, items });
		return items;
	}
}

type Props = {
	/** For the footer and help, e.g. "Channel database list". */
	title: string;
	columns: ListColumn[];
	items: readonly TableItem[];
	height: number;
	width: number;
	isActive: boolean;
	/** The screen's own actions (new, open, delete …), before the common ones. */
	actions: readonly ActionId[];
	/** Runs one of `actions` on the selected row (null when the list is empty). */
	onAction: (action: ActionId, selectedKey: string | null) => void;
	onBack: () => void;
	selectedKey: string | null;
	onSelect: (key: string | null) => void;
	emptyText: string;
	initialSort?: SortOrder;
	/** A question shown under the list (delete?); it has the keys while shown. */
	question?: Question;
	/** Which of `actions` cannot run on the selected row, and why. */
	disabledFor?: (selectedKey: string | null) => DisabledReasons;
	/** Set to the list's minimum as it renders, for a screen that brings it back to the front (see `useOpening`). */
	minimumRows?: { current: number };
};

/**
 * A list page with everything lists share: windowed rows, cursor keys,
 * `/` filter over every column, sorting by any column, and a y/n question. Screens add
 * their own actions.
 */
export function TableView({
	title,
	columns,
	items,
	height,
	width,
	isActive,
	actions,
	onAction,
	onBack,
	selectedKey,
	onSelect,
	emptyText,
	initialSort = { column: 0, descending: false },
	question,
	disabledFor,
	minimumRows: shownMinimum,
}: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const [filter, setFilter] = useState("");
	const [filtering, setFiltering] = useState(false);
	const [sort, setSort] = useState(initialSort);
	// Sorted once and lowered once per list, so a typed filter key only searches.
	const sorted = useMemo(
		() => sortItems(items, columns, sort),
		[items, columns, sort],
	);
	const search = useMemo(() => new ItemSearch(sorted), [sorted]);
	const rows = useMemo(() => search.filter(filter), [search, filter]);
	const cells = useMemo(() => rows.map((row) => row.cells), [rows]);
	// Packed to every record, not the filtered ones: columns stay put while a filter is typed.
	const widths = useMemo(
		() =>
			columnWidths(
				columns,
				items.map((item) => item.cells),
				width,
			),
		[columns, items, width],
	);
	const keys = useMemo(() => rows.map((row) => row.key), [rows]);

	// The cursor stays on its record through a sort, a filter, a save or an
	// edit from outside; when its record goes (deleted, filtered out) it
	// stays on the row it was on, and from then on it follows that record.
	const lastCursor = useRef(0);
	const found = selectedKey === null ? -1 : keys.indexOf(selectedKey);
	const cursor =
		found >= 0 ? found : Math.min(lastCursor.current, rows.length - 1);
	lastCursor.current = Math.max(0, cursor);
	const shownKey = keys[cursor] ?? null;
	useEffect(() => {
		if (shownKey !== null && shownKey !== selectedKey) onSelect(shownKey);
	}, [shownKey, selectedKey, onSelect]);
	// The counts line and the header; a long question scrolls in what the rows leave.
	const questionHeight = question
		? confirmDialogHeight(question.text, width, height - 2 - rowsBesideQuestion)
		: 0;
	const listHeight = Math.max(1, height - 2 - questionHeight);
	const moveTo = (index: number) =>
		onSelect(keys[Math.max(0, Math.min(rows.length - 1, index))] ?? null);

	const offered = useMemo(() => [...actions, ...navigationActions], [actions]);
	const disabled = disabledFor?.(keys[cursor] ?? null) ?? {};
	const minimumRows = listMinimumRows(rows.length);
	if (shownMinimum) shownMinimum.current = minimumRows;
	useScreenReport(
		filtering
			? { title, actions: filterActions, minimumRows }
			: { title, actions: offered, disabled, minimumRows },
		isActive && !question,
	);
	const own = Object.fromEntries(
		actions.map((action) => [
			action,
			() => onAction(action, keys[cursor] ?? null),
		]),
	);
	useActions(
		offered,
		{
			...own,
			filter: () => setFiltering(true),
			sort: () =>
				setSort(({ column, descending }) => ({
					column,
					descending: !descending,
				})),
			sortNext: () =>
				setSort(({ column }) => ({
					column: (column + 1) % columns.length,
					descending: false,
				})),
			sortPrevious: () =>
				setSort(({ column }) => ({
					column: (column - 1 + columns.length) % columns.length,
					descending: false,
				})),
			back: () => (filter !== "" ? setFilter("") : onBack()),
			up: () => moveTo(cursor - 1),
			down: () => moveTo(cursor + 1),
			pageUp: () => moveTo(cursor - listHeight),
			pageDown: () => moveTo(cursor + listHeight),
			first: () => moveTo(0),
			last: () => moveTo(rows.length - 1),
		},
		isActive && !filtering && !question,
		disabled,
	);
	useActions(
		filterActions,
		{
			keepFilter: () => setFiltering(false),
			cancel: () => {
				setFilter("");
				setFiltering(false);
			},
		},
		isActive && filtering,
	);

	return (
		<Box flexDirection="column">
			{filtering ? (
				<Box>
					<Text color={color("cyan")}>Filter: </Text>
					<TextField value={filter} focus={isActive} onChange={setFilter} />
				</Box>
			) : (
				<Text dimColor wrap="truncate-end">
					{filter === ""
						? countOf(rows.length, "record")
						: `${numberText(rows.length)} of ${countOf(items.length, "record")} match "${displayText(filter)}" (${keyName(keymap.back)} clears)`}
					{` · sorted by ${columns[sort.column]?.header ?? ""}${sort.descending ? " ↓" : " ↑"}`}
				</Text>
			)}
			<ListPage
				columns={columns}
				widths={widths}
				sort={sort}
				rows={cells}
				rowKeys={keys}
				cursor={cursor}
				height={listHeight}
				emptyText={filter === "" ? emptyText : "No record matches the filter."}
			/>
			{question && (
				<ConfirmDialog
					question={question.text}
					onAnswer={question.onAnswer}
					width={width}
					room={questionHeight}
				/>
			)}
		</Box>
	);
}
