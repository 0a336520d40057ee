import { Box, Text } from "ink";
import { type ReactNode, useMemo, useState } from "react";
import { displayText } from "../../domain/text.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { type ListColumn, ListPage } from "./list-page.js";
import { TextField } from "./text-field.js";

/** One row: a stable key and the cells the operator reads. */
export type TableItem = { key: string; cells: readonly string[] };

export type SortOrder = { column: number; descending: boolean };

const navigationActions: readonly ActionId[] = [
	"filter",
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
const filterActions: readonly ActionId[] = ["keepFilter", "cancel"];

/** Rows containing `filter` in any cell (ignoring case), in the given order. */
export function filterAndSort(
	items: readonly TableItem[],
	columns: readonly ListColumn[],
	filter: string,
	sort: SortOrder,
): TableItem[] {
	const wanted = filter.trim().toLowerCase();
	const kept =
		wanted === ""
			? items
			: items.filter((item) =>
					item.cells.some((cell) => cell.toLowerCase().includes(wanted)),
				);
	const numeric = columns[sort.column]?.alignRight ?? false;
	const compare = (a: string, b: string) =>
		numeric
			? Number(a) - Number(b)
			: a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
	const sorted = [...kept].sort((a, b) =>
		compare(a.cells[sort.column] ?? "", b.cells[sort.column] ?? ""),
	);
	return sort.descending ? sorted.reverse() : sorted;
}

type Props = {
	/** For the footer and help, e.g. "Channel database list". */
	title: string;
	columns: ListColumn[];
	items: readonly TableItem[];
	height: number;
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
	dialog?: ReactNode;
};

/**
 * A list page with everything lists share: windowed rows, cursor keys,
 * `/` filter over every column, `s` sort, and a dialog slot. Screens add
 * their own actions.
 */
export function TableView({
	title,
	columns,
	items,
	height,
	isActive,
	actions,
	onAction,
	onBack,
	selectedKey,
	onSelect,
	emptyText,
	initialSort = { column: 0, descending: false },
	dialog,
}: Props) {
	const [filter, setFilter] = useState("");
	const [filtering, setFiltering] = useState(false);
	const [sort, setSort] = useState(initialSort);
	const rows = useMemo(
		() => filterAndSort(items, columns, filter, sort),
		[items, columns, filter, sort],
	);
	const cells = useMemo(() => rows.map((row) => row.cells), [rows]);
	const keys = useMemo(() => rows.map((row) => row.key), [rows]);

	const found = selectedKey === null ? -1 : keys.indexOf(selectedKey);
	const cursor = found >= 0 ? found : Math.min(0, rows.length - 1);
	const listHeight = Math.max(1, height - 2 - (dialog ? 3 : 0));
	const moveTo = (index: number) =>
		onSelect(keys[Math.max(0, Math.min(rows.length - 1, index))] ?? null);

	const offered = useMemo(() => [...actions, ...navigationActions], [actions]);
	useScreenReport(
		{ title, actions: filtering ? filterActions : offered, dirty: false },
		isActive && !dialog,
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
				setSort(({ column, descending }) =>
					descending
						? { column: (column + 1) % columns.length, descending: false }
						: { column, descending: true },
				),
			back: () => (filter !== "" ? setFilter("") : onBack()),
			up: () => moveTo(cursor - 1),
			down: () => moveTo(cursor + 1),
			pageUp: () => moveTo(cursor - listHeight),
			pageDown: () => moveTo(cursor + listHeight),
			first: () => moveTo(0),
			last: () => moveTo(rows.length - 1),
		},
		isActive && !filtering && !dialog,
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
					<Text color="cyan">Filter: </Text>
					<TextField value={filter} focus={isActive} onChange={setFilter} />
				</Box>
			) : (
				<Text dimColor wrap="truncate-end">
					{filter === ""
						? `${rows.length} records`
						: `${rows.length} of ${items.length} records match "${displayText(filter)}" (Esc clears)`}
					{` · sorted by ${columns[sort.column]?.header ?? ""}${sort.descending ? " ↓" : " ↑"}`}
				</Text>
			)}
			<ListPage
				columns={columns}
				rows={cells}
				rowKeys={keys}
				cursor={cursor}
				height={listHeight}
				emptyText={filter === "" ? emptyText : "No record matches the filter."}
			/>
			{dialog}
		</Box>
	);
}
