import { Box, Text } from "ink";
import { type ReactNode, useCallback, useMemo, useRef, useState } from "react";
import type { Collection, RecordMeta } from "../../domain/configuration.js";
import {
	describeRefusal,
	type EditTarget,
} from "../../domain/record-changes.js";
import { columnText, type Draft, recordsOf } from "../../domain/record-kind.js";
import { displayText, quoted } from "../../domain/text.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import { checkWorkingFolder } from "../../store/working-folder-access.js";
import { useClock } from "../clock.js";
import { CheckResults } from "../components/check-results.js";
import type { ListColumn } from "../components/list-page.js";
import {
	openingFormMinimumRows,
	RecordForm,
} from "../components/record-form.js";
import { listMinimumRows, TableView } from "../components/table-view.js";
import { useConfiguration } from "../hooks/use-configuration.js";
import { useStoreTools } from "../hooks/use-store-tools.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import type { RecordFormEntry } from "../navigation.js";
import { type ScreenProps, useOpening } from "../screen-context.js";

const recordActions: readonly ActionId[] = ["new", "open", "delete"];
const fullSyncActions: readonly ActionId[] = [...recordActions, "fullSync"];

type StoredRow = RecordMeta & Record<string, unknown>;

type Mode =
	| { type: "list" }
	| { type: "form"; record: StoredRow | null }
	| { type: "confirm"; question: string; run: () => Promise<void> };

type Props = ScreenProps & {
	form: RecordFormEntry;
	/** Opens the form of another collection on the record of that name. */
	onFollow: (collection: Collection, name: string) => void;
	/** The name of the record to select when the screen opens. */
	initialName?: string;
};

const targetOf = (record: StoredRow): EditTarget => ({
	id: record.id,
	expectedVersion: record.version,
});

/** A form of the Channel integration area: its list page, its detail form, delete and full sync. */
export function RecordScreen({
	form,
	store,
	height,
	width,
	isActive,
	onBack,
	onStatus,
	onFollow,
	initialName,
}: Props) {
	const { kind } = form;
	const clock = useClock();
	const keymap = useKeymap();
	const { configuration } = useConfiguration(store);
	const records = recordsOf(configuration, kind.collection);
	const [mode, setMode] = useState<Mode>({ type: "list" });
	const [selectedId, setSelectedId] = useState<string | null>(
		() =>
			records.find((record) => kind.nameOf(record) === initialName)?.id ?? null,
	);

	const columns: ListColumn[] = useMemo(
		() =>
			form.columns.map((column) => {
				const grows = column.grows ?? false;
				if ("text" in column) return { header: column.header, grows };
				const field = kind.fields.find(
					(candidate) => candidate.key === column.field,
				);
				return {
					header: field?.header ?? column.field,
					grows,
					alignRight: field?.kind === "number",
				};
			}),
		[form, kind],
	);
	// Rows show the record as its form does (links by name), so filter and sort work on what is read.
	const items = useMemo(
		() =>
			records.map((record) => {
				const draft = kind.toDraft(record, configuration);
				return {
					key: record.id,
					cells: form.columns.map((column) => columnText(column, draft)),
				};
			}),
		[records, kind, form, configuration],
	);

	const report = (
		done: string,
		outcome: Awaited<ReturnType<ConfigurationStore["remove"]>>,
		failed: string,
	) =>
		outcome.ok
			? onStatus(done, "success")
			: onStatus(`${failed}: ${describeRefusal(outcome)}`, "error");
	const opening = useOpening();
	// The list under the form, filtered as it was left: the lines it needs when the form closes.
	const listMinimum = useRef(listMinimumRows(records.length));
	const showForm = (record: StoredRow | null) => {
		const draft = record
			? kind.toDraft(record, configuration)
			: kind.emptyDraft();
		opening(
			openingFormMinimumRows(
				kind.fields.length,
				form.preview?.(draft, clock.now()).length ?? 0,
				record !== null && form.related !== undefined,
			),
		);
		setMode({ type: "form", record });
	};
	const act = (action: ActionId, key: string | null) => {
		const record = records.find((candidate) => candidate.id === key);
		if (action === "new") return showForm(null);
		// The shell says why when the list is empty (disabledFor).
		if (!record) return undefined;
		const name = quoted(kind.nameOf(record));
		switch (action) {
			case "open":
				return showForm(record);
			case "delete":
				return setMode({
					type: "confirm",
					question: `Delete ${kind.title} ${name}?`,
					run: async () =>
						report(
							`Deleted ${kind.title} ${name}`,
							await store.remove(kind, targetOf(record)),
							"Not deleted",
						),
				});
			case "fullSync":
				return setMode({
					type: "confirm",
					question: `Full data sync for ${name}: send all data again?`,
					run: async () =>
						report(
							`Full data sync requested for ${name}: its client takes all data again on its next download`,
							await store.requestFullSync(targetOf(record)),
							"Not requested",
						),
				});
			default:
				return undefined;
		}
	};

	// After a save, working folders that do not exist yet can be created on request.
	const checkFolders = async (folders: string[]) => {
		const states = await Promise.all(
			folders.map((path) => checkWorkingFolder(path, { create: false })),
		);
		const unusable = folders.flatMap((path, index) => {
			const state = states[index];
			return state?.state === "unusable" ? [`${path} ${state.reason}`] : [];
		});
		const missing = folders.filter(
			(_, index) => states[index]?.state === "missing",
		);
		if (unusable.length > 0)
			onStatus(`Saved, but ${unusable.join("; ")}`, "warning");
		if (missing.length === 0) return;
		setMode({
			type: "confirm",
			question: `Create the missing folder${missing.length > 1 ? "s" : ""} ${missing.join(" and ")}?`,
			run: async () => {
				const created = await Promise.all(
					missing.map((path) => checkWorkingFolder(path, { create: true })),
				);
				const problems = missing.flatMap((path, index) => {
					const state = created[index];
					return state?.state === "unusable" ? [`${path} ${state.reason}`] : [];
				});
				if (problems.length > 0) onStatus(problems.join("; "), "error");
				else onStatus(`Created ${missing.join(" and ")}`, "success");
			},
		});
	};

	const storeTools = useStoreTools(kind, form.keepsStore ?? false);
	const submit = async (draft: Draft, record: StoredRow | null) =>
		(record && (await storeTools.refuseStoreChange(draft, record.id))) ??
		store.save(kind, draft, record ? targetOf(record) : undefined);

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

	// The list stays mounted under the form, hidden, so its filter and sort are there when the form closes.
	let formView: ReactNode = null;
	if (mode.type === "form") {
		const { record } = mode;
		const related =
			record && form.related
				? form.related.names(configuration, record.id)
				: null;
		formView = (
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
				onSubmit={(draft) => submit(draft, record)}
				onClose={(saved) => {
					opening(listMinimum.current);
					setMode({ type: "list" });
					if (!saved) return;
					setSelectedId(saved.id);
					onStatus(
						`Saved ${kind.title} ${quoted(kind.nameOf(saved))}`,
						"success",
					);
					const folders = (form.folderFields ?? []).map((field) =>
						String(saved[field]),
					);
					if (folders.length > 0) void checkFolders(folders);
				}}
				onReload={reloadDraft}
				height={height}
				width={width}
				onFollow={(field, value) => {
					if (!field.target) return;
					if (value.trim() === "")
						onStatus(`${field.label} is empty: choose one first`, "warning");
					else onFollow(field.target, value);
				}}
				isActive={isActive && storeTools.shown === null}
				{...(form.keepsStore
					? {
							storeTest: storeTools.testFor(
								record && { id: record.id, name: kind.nameOf(record) },
							),
						}
					: {})}
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

	return (
		<>
			{storeTools.shown && (
				<CheckResults
					{...storeTools.shown}
					height={height}
					width={width}
					isActive={isActive}
					onClose={storeTools.close}
				/>
			)}
			<Box display={storeTools.shown ? "none" : "flex"} flexDirection="column">
				{formView}
			</Box>
			<Box display={formView ? "none" : "flex"} flexDirection="column">
				<TableView
					title={`${kind.title} list`}
					columns={columns}
					items={items}
					height={height}
					width={width}
					isActive={isActive && formView === null}
					actions={form.offersFullSync ? fullSyncActions : recordActions}
					onAction={act}
					onBack={onBack}
					selectedKey={selectedId}
					minimumRows={listMinimum}
					onSelect={setSelectedId}
					emptyText={`No ${form.plural} yet. Press ${keyName(keymap.new)} to create one.`}
					disabledFor={(key) => {
						if (key !== null) return {};
						const reason = `The list is empty: press ${keyName(keymap.new)} to create a record`;
						return { open: reason, delete: reason, fullSync: reason };
					}}
					{...(mode.type === "confirm"
						? {
								question: {
									text: mode.question,
									onAnswer: (yes: boolean) => {
										setMode({ type: "list" });
										if (yes) void mode.run();
									},
								},
							}
						: {})}
				/>
			</Box>
		</>
	);
}
