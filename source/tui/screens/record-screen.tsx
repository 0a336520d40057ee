import { Box, Text } from "ink";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import type { CheckResult } from "../../domain/channel-database-checks.js";
import type { Collection, RecordMeta } from "../../domain/configuration.js";
import {
	describeRefusal,
	type EditTarget,
} from "../../domain/record-changes.js";
import { columnText, type Draft, recordsOf } from "../../domain/record-kind.js";
import { displayText, quoted } from "../../domain/text.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import { checkWorkingFolder } from "../../store/working-folder-access.js";
import { useChannelDatabaseTools } from "../channel-database-tools.js";
import { useClock } from "../clock.js";
import { CheckResults } from "../components/check-results.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";
import type { ListColumn } from "../components/list-page.js";
import { RecordForm } from "../components/record-form.js";
import { TableView } from "../components/table-view.js";
import { useConfiguration } from "../hooks/use-configuration.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import type { RecordFormEntry } from "../navigation.js";
import type { ShowStatus } from "../status-message.js";

const recordActions: readonly ActionId[] = ["new", "open", "delete"];
const fullSyncActions: readonly ActionId[] = [...recordActions, "fullSync"];

type StoredRow = RecordMeta & Record<string, unknown>;

type Mode =
	| { type: "list" }
	| { type: "form"; record: StoredRow | null }
	| { type: "confirm"; question: string; run: () => Promise<void> };

type Props = {
	form: RecordFormEntry;
	store: ConfigurationStore;
	height: number;
	width: number;
	/** False while an overlay or another screen has the keys. */
	isActive: boolean;
	onBack: () => void;
	/** Shows a one-line message in the shell's status line. */
	onStatus: ShowStatus;
	/** Opens the form of another collection on the record of that name. */
	onFollow: (collection: Collection, name: string) => void;
	/** The name of the record to select when the screen opens. */
	initialName?: string;
};

/** A store test shown over the form: null results while it runs. */
type StoreTestView = {
	title: string;
	results: CheckResult[] | null;
	problem: string | null;
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
	const tools = useChannelDatabaseTools();
	const [storeTest, setStoreTest] = useState<StoreTestView | null>(null);
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
	const act = (action: ActionId, key: string | null) => {
		const record = records.find((candidate) => candidate.id === key);
		if (action === "new") return setMode({ type: "form", record: null });
		// The shell says why when the list is empty (disabledFor).
		if (!record) return undefined;
		const name = quoted(kind.nameOf(record));
		switch (action) {
			case "open":
				return setMode({ type: "form", record });
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

	// The checks of `cdx channel-db test`, on the record as saved.
	const testStore = (record: StoredRow) => {
		const title = `Test of ${kind.title} ${quoted(kind.nameOf(record))}`;
		setStoreTest({ title, results: null, problem: null });
		tools.test(record.id).then(
			(results) =>
				setStoreTest((shown) =>
					shown?.title === title ? { ...shown, results } : shown,
				),
			(error: Error) =>
				setStoreTest((shown) =>
					shown?.title === title ? { ...shown, problem: error.message } : shown,
				),
		);
	};

	// A save that changes where a store's data is gets the guard of `cdx channel-db set`.
	const submit = async (draft: Draft, record: StoredRow | null) => {
		if (form.keepsStore && record) {
			const refusal = await tools.storeChangeRefusal(record.id, {
				serverName: (draft.serverName ?? "").trim(),
				databaseName: (draft.databaseName ?? "").trim(),
			});
			if (refusal !== null) {
				const field = kind.fields.find(({ key }) => key === "serverName");
				return {
					ok: false as const,
					reason: "invalid" as const,
					problems: [
						{
							field: "serverName",
							label: field?.label ?? "serverName",
							message: refusal,
						},
					],
				};
			}
		}
		return store.save(kind, draft, record ? targetOf(record) : undefined);
	};

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
				isActive={isActive && storeTest === null}
				{...(form.keepsStore
					? {
							storeTest: {
								run: () => record && testStore(record),
								disabledReason: record
									? null
									: `Save the ${kind.title} first: the test checks it as saved`,
							},
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
			{storeTest && (
				<CheckResults
					{...storeTest}
					height={height}
					width={width}
					isActive={isActive}
					onClose={() => setStoreTest(null)}
				/>
			)}
			<Box display={storeTest ? "none" : "flex"} flexDirection="column">
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
					onSelect={setSelectedId}
					emptyText={`No ${form.plural} yet. Press ${keyName(keymap.new)} to create one.`}
					disabledFor={(key) => {
						if (key !== null) return {};
						const reason = `The list is empty: press ${keyName(keymap.new)} to create a record`;
						return { open: reason, delete: reason, fullSync: reason };
					}}
					dialog={
						mode.type === "confirm" ? (
							<ConfirmDialog
								question={mode.question}
								onAnswer={(yes) => {
									setMode({ type: "list" });
									if (yes) void mode.run();
								}}
							/>
						) : undefined
					}
				/>
			</Box>
		</>
	);
}
