import { Box } from "ink";
import { useCallback, useMemo, useState } from "react";
import type { RecordMeta } from "../../domain/configuration.js";
import type { Draft } from "../../domain/record-kind.js";
import { quoted } from "../../domain/text.js";
import {
	type ConfigurationStore,
	describeRefusal,
} from "../../store/configuration-store.js";
import { useConfiguration } from "../../store/use-configuration.js";
import { ConfirmDialog, confirmActions } from "../components/confirm-dialog.js";
import { type ListColumn, ListPage } from "../components/list-page.js";
import { RecordForm } from "../components/record-form.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import type { FormEntry } from "../navigation.js";
import { useScreenReport } from "../screen-context.js";

const listActions: readonly ActionId[] = [
	"new",
	"open",
	"delete",
	"back",
	"up",
	"down",
	"pageUp",
	"pageDown",
	"first",
	"last",
	"goto",
	"help",
	"quit",
];

type StoredRow = RecordMeta & Record<string, unknown>;

type Mode =
	| { type: "list" }
	| { type: "form"; record: StoredRow | null }
	| { type: "confirm-delete"; record: StoredRow };

type Props = {
	form: FormEntry;
	store: ConfigurationStore;
	height: number;
	/** False while an overlay of the shell has the keys. */
	isActive: boolean;
	onBack: () => void;
	/** Shows a one-line message in the shell's status line. */
	onStatus: (message: string) => void;
};

/** A form of the Channel integration area: its list page, its detail form and delete. */
export function RecordScreen({
	form,
	store,
	height,
	isActive,
	onBack,
	onStatus,
}: Props) {
	const { kind } = form;
	const { configuration } = useConfiguration(store);
	const records = configuration[kind.collection] as unknown as StoredRow[];
	const [mode, setMode] = useState<Mode>({ type: "list" });
	const [selectedId, setSelectedId] = useState<string | null>(null);

	const sorted = useMemo(
		() =>
			[...records].sort((a, b) =>
				kind
					.nameOf(a)
					.localeCompare(kind.nameOf(b), undefined, { sensitivity: "base" }),
			),
		[records, kind],
	);
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
	const rows = useMemo(
		() =>
			sorted.map((record) => {
				const draft = kind.toDraft(record, configuration);
				return form.columns.map((column) => draft[column.field] ?? "");
			}),
		[sorted, form, kind, configuration],
	);
	const rowKeys = useMemo(() => sorted.map((record) => record.id), [sorted]);

	const found = selectedId === null ? -1 : rowKeys.indexOf(selectedId);
	const cursor = found >= 0 ? found : Math.min(0, sorted.length - 1);
	const selected = sorted[cursor];
	const listHeight = Math.max(1, height - 1);
	const moveTo = (index: number) => {
		const bounded = Math.max(0, Math.min(sorted.length - 1, index));
		setSelectedId(rowKeys[bounded] ?? null);
	};

	const deleteSelected = async (record: StoredRow) => {
		const outcome = await store.remove(kind, {
			id: record.id,
			expectedVersion: record.version,
		});
		onStatus(
			outcome.ok
				? `Deleted ${kind.title} ${quoted(kind.nameOf(record))}`
				: `Not deleted: ${describeRefusal(outcome)}`,
		);
	};

	useScreenReport(
		{
			title: `${kind.title} list`,
			actions: mode.type === "confirm-delete" ? confirmActions : listActions,
			dirty: false,
		},
		isActive && mode.type !== "form",
	);
	useActions(
		listActions,
		{
			new: () => setMode({ type: "form", record: null }),
			open: () =>
				selected
					? setMode({ type: "form", record: selected })
					: onStatus("The list is empty: press n to create a record"),
			delete: () =>
				selected
					? setMode({ type: "confirm-delete", record: selected })
					: onStatus("Nothing to delete: the list is empty"),
			back: onBack,
			up: () => moveTo(cursor - 1),
			down: () => moveTo(cursor + 1),
			pageUp: () => moveTo(cursor - listHeight),
			pageDown: () => moveTo(cursor + listHeight),
			first: () => moveTo(0),
			last: () => moveTo(sorted.length - 1),
		},
		isActive && mode.type === "list",
	);

	const reloadDraft = useCallback((): Draft | null => {
		if (mode.type !== "form" || !mode.record) return null;
		const id = mode.record.id;
		const current = (
			store.getSnapshot().configuration[
				kind.collection
			] as unknown as StoredRow[]
		).find((record) => record.id === id);
		if (!current) return null;
		setMode({ type: "form", record: current });
		return kind.toDraft(current, store.getSnapshot().configuration);
	}, [mode, store, kind]);

	if (mode.type === "form") {
		const { record } = mode;
		return (
			<RecordForm
				kind={kind}
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
					store.save(
						kind,
						draft,
						record
							? { id: record.id, expectedVersion: record.version }
							: undefined,
					)
				}
				onClose={(saved) => {
					if (saved) {
						setSelectedId(saved.id);
						onStatus(`Saved ${kind.title} ${quoted(kind.nameOf(saved))}`);
					}
					setMode({ type: "list" });
				}}
				onReload={reloadDraft}
				isActive={isActive}
			/>
		);
	}

	return (
		<Box flexDirection="column">
			<ListPage
				columns={columns}
				rows={rows}
				rowKeys={rowKeys}
				cursor={cursor}
				height={mode.type === "confirm-delete" ? listHeight - 3 : listHeight}
				emptyText={`No ${kind.title} records yet. Press n to create one.`}
			/>
			{mode.type === "confirm-delete" && (
				<ConfirmDialog
					question={`Delete ${kind.title} ${quoted(kind.nameOf(mode.record))}?`}
					onAnswer={(yes) => {
						setMode({ type: "list" });
						if (yes) void deleteSelected(mode.record);
					}}
				/>
			)}
		</Box>
	);
}
