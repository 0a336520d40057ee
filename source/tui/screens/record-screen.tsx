import { Box, Text } from "ink";
import { useCallback, useMemo, useState } from "react";
import type { Collection, RecordMeta } from "../../domain/configuration.js";
import { type Draft, recordsOf } from "../../domain/record-kind.js";
import { displayText, quoted } from "../../domain/text.js";
import {
	type ConfigurationStore,
	describeRefusal,
	type EditTarget,
} from "../../store/configuration-store.js";
import { useConfiguration } from "../../store/use-configuration.js";
import { useClock } from "../clock.js";
import { ConfirmDialog, confirmActions } from "../components/confirm-dialog.js";
import { type ListColumn, ListPage } from "../components/list-page.js";
import { RecordForm } from "../components/record-form.js";
import { TextField } from "../components/text-field.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import type { RecordFormEntry } from "../navigation.js";
import { useScreenReport } from "../screen-context.js";

const listActions: readonly ActionId[] = [
	"new",
	"open",
	"delete",
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
const fullSyncListActions: readonly ActionId[] = [
	...listActions.slice(0, 3),
	"fullSync",
	...listActions.slice(3),
];
const filterActions: readonly ActionId[] = ["keepFilter", "cancel"];

type StoredRow = RecordMeta & Record<string, unknown>;

type Mode =
	| { type: "list" }
	| { type: "filter" }
	| { type: "form"; record: StoredRow | null }
	| { type: "confirm"; question: string; run: () => Promise<void> };

type Props = {
	form: RecordFormEntry;
	store: ConfigurationStore;
	height: number;
	/** False while an overlay or another screen has the keys. */
	isActive: boolean;
	onBack: () => void;
	/** Shows a one-line message in the shell's status line. */
	onStatus: (message: string) => void;
	/** Opens the form of another collection on the record of that name. */
	onFollow: (collection: Collection, name: string) => void;
	/** The name of the record to select when the screen opens. */
	initialName?: string;
};

/** A form of the Channel integration area: its list page, its detail form, filter, sort and delete. */
export function RecordScreen({
	form,
	store,
	height,
	isActive,
	onBack,
	onStatus,
	onFollow,
	initialName,
}: Props) {
	const { kind } = form;
	const clock = useClock();
	const { configuration } = useConfiguration(store);
	const records = recordsOf(configuration, kind.collection);
	const [mode, setMode] = useState<Mode>({ type: "list" });
	const [selectedId, setSelectedId] = useState<string | null>(
		() =>
			records.find((record) => kind.nameOf(record) === initialName)?.id ?? null,
	);
	const [filter, setFilter] = useState("");
	const [sort, setSort] = useState({ column: 0, descending: false });

	const columns: ListColumn[] = useMemo(
		() =>
			form.columns.map((column) => {
				const field = kind.fields.find(
					(candidate) => candidate.key === column.field,
				);
				return {
					header: field?.header ?? column.field,
					width: column.width,
					alignRight: field?.kind === "number",
				};
			}),
		[form, kind],
	);
	// Every row as the cells it shows, so filter and sort work on what the operator reads.
	const allRows = useMemo(
		() =>
			records.map((record) => {
				const draft = kind.toDraft(record, configuration);
				return {
					record,
					cells: form.columns.map((column) => draft[column.field] ?? ""),
				};
			}),
		[records, kind, form, configuration],
	);
	const rows = useMemo(() => {
		const wanted = filter.trim().toLowerCase();
		const kept =
			wanted === ""
				? allRows
				: allRows.filter((row) =>
						row.cells.some((cell) => cell.toLowerCase().includes(wanted)),
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
	}, [allRows, filter, sort, columns]);
	const cells = useMemo(() => rows.map((row) => row.cells), [rows]);
	const rowKeys = useMemo(() => rows.map((row) => row.record.id), [rows]);

	const found = selectedId === null ? -1 : rowKeys.indexOf(selectedId);
	const cursor = found >= 0 ? found : Math.min(0, rows.length - 1);
	const selected = rows[cursor]?.record;
	const listHeight = Math.max(1, height - 2);
	const moveTo = (index: number) => {
		const bounded = Math.max(0, Math.min(rows.length - 1, index));
		setSelectedId(rowKeys[bounded] ?? null);
	};
	const targetOf = (record: StoredRow): EditTarget => ({
		id: record.id,
		expectedVersion: record.version,
	});
	const confirm = (question: string, run: () => Promise<void>) =>
		setMode({ type: "confirm", question, run });

	const deleteRecord = async (record: StoredRow) => {
		const outcome = await store.remove(kind, targetOf(record));
		onStatus(
			outcome.ok
				? `Deleted ${kind.title} ${quoted(kind.nameOf(record))}`
				: `Not deleted: ${describeRefusal(outcome)}`,
		);
	};
	const requestFullSync = async (record: StoredRow) => {
		const outcome = await store.requestFullSync(targetOf(record));
		onStatus(
			outcome.ok
				? `Full data sync requested for ${quoted(kind.nameOf(record))}: its client takes all data again on its next download`
				: `Not requested: ${describeRefusal(outcome)}`,
		);
	};

	const offered = form.offersFullSync ? fullSyncListActions : listActions;
	const reportActions =
		mode.type === "confirm"
			? confirmActions
			: mode.type === "filter"
				? filterActions
				: offered;
	useScreenReport(
		{ title: `${kind.title} list`, actions: reportActions, dirty: false },
		isActive && mode.type !== "form",
	);
	const nothingSelected = () =>
		onStatus(
			rows.length === 0 ? "The list is empty: press n to create a record" : "",
		);
	useActions(
		offered,
		{
			new: () => setMode({ type: "form", record: null }),
			open: () =>
				selected
					? setMode({ type: "form", record: selected })
					: nothingSelected(),
			delete: () =>
				selected
					? confirm(
							`Delete ${kind.title} ${quoted(kind.nameOf(selected))}?`,
							() => deleteRecord(selected),
						)
					: nothingSelected(),
			fullSync: () =>
				selected
					? confirm(
							`Full data sync for ${quoted(kind.nameOf(selected))}: send all data again?`,
							() => requestFullSync(selected),
						)
					: nothingSelected(),
			filter: () => setMode({ type: "filter" }),
			sort: () =>
				setSort(({ column, descending }) =>
					descending
						? { column: (column + 1) % columns.length, descending: false }
						: { column, descending: true },
				),
			back: () => {
				if (filter !== "") setFilter("");
				else onBack();
			},
			up: () => moveTo(cursor - 1),
			down: () => moveTo(cursor + 1),
			pageUp: () => moveTo(cursor - listHeight),
			pageDown: () => moveTo(cursor + listHeight),
			first: () => moveTo(0),
			last: () => moveTo(rows.length - 1),
		},
		isActive && mode.type === "list",
	);
	useActions(
		filterActions,
		{
			keepFilter: () => setMode({ type: "list" }),
			cancel: () => (setFilter(""), setMode({ type: "list" })),
		},
		isActive && mode.type === "filter",
	);

	const reloadDraft = useCallback((): Draft | null => {
		if (mode.type !== "form" || !mode.record) return null;
		const { id } = mode.record;
		const latest = store.getSnapshot().configuration;
		const current = recordsOf(latest, kind.collection).find(
			(record) => record.id === id,
		);
		if (!current) return null;
		setMode({ type: "form", record: current });
		return kind.toDraft(current, latest);
	}, [mode, store, kind]);

	if (mode.type === "form") {
		const { record } = mode;
		const related =
			record && form.related
				? form.related.names(configuration, record.id)
				: null;
		return (
			<RecordForm
				description={kind}
				configuration={configuration}
				title={
					record
						? `Edit ${kind.title} ${quoted(kind.nameOf(record))}`
						: `New ${kind.title}`
				}
				initialDraft={
					record ? kind.toDraft(record, configuration) : kind.emptyDraft()
				}
				recordId={record?.id}
				onSubmit={(draft) =>
					store.save(kind, draft, record ? targetOf(record) : undefined)
				}
				onClose={(saved) => {
					if (saved) {
						setSelectedId(saved.id);
						onStatus(`Saved ${kind.title} ${quoted(kind.nameOf(saved))}`);
					}
					setMode({ type: "list" });
				}}
				onReload={reloadDraft}
				onFollow={(field, value) => {
					if (!field.target) return;
					if (value.trim() === "")
						onStatus(`${field.label} is empty: choose one first`);
					else onFollow(field.target, value);
				}}
				isActive={isActive}
				{...(form.preview
					? {
							preview: (draft: Draft) =>
								form.preview?.(draft, clock.now()) ?? [],
						}
					: {})}
			>
				{related && form.related && (
					<Box flexDirection="column" marginTop={1}>
						<Text dimColor>{form.related.label}:</Text>
						<Text wrap="truncate-end">
							{related.length === 0
								? "(none)"
								: related.map(displayText).join(", ")}
						</Text>
					</Box>
				)}
			</RecordForm>
		);
	}

	const filterLine =
		mode.type === "filter" ? (
			<Box>
				<Text color="cyan">Filter: </Text>
				<TextField
					value={filter}
					focus={isActive}
					onChange={(text) => setFilter(text)}
				/>
			</Box>
		) : (
			<Text dimColor wrap="truncate-end">
				{filter === ""
					? `${rows.length} records`
					: `${rows.length} of ${allRows.length} records match "${displayText(filter)}" (Esc clears)`}
				{` · sorted by ${columns[sort.column]?.header ?? ""}${sort.descending ? " ↓" : " ↑"}`}
			</Text>
		);

	return (
		<Box flexDirection="column">
			{filterLine}
			<ListPage
				columns={columns}
				rows={cells}
				rowKeys={rowKeys}
				cursor={cursor}
				height={mode.type === "confirm" ? listHeight - 3 : listHeight}
				emptyText={
					filter === ""
						? `No ${kind.title} records yet. Press n to create one.`
						: "No record matches the filter."
				}
			/>
			{mode.type === "confirm" && (
				<ConfirmDialog
					question={mode.question}
					onAnswer={(yes) => {
						setMode({ type: "list" });
						if (yes) void mode.run();
					}}
				/>
			)}
		</Box>
	);
}
