import { Box, Text } from "ink";
import { type ReactNode, useMemo, useState } from "react";
import type { Configuration } from "../../domain/configuration.js";
import type { SaveOutcome } from "../../domain/record-changes.js";
import type {
	Draft,
	FieldDescription,
	FormDescription,
	StoredRecord,
} from "../../domain/record-kind.js";
import { countOf, displayText } from "../../domain/text.js";
import type { FieldProblem } from "../../domain/validation.js";
import { useColor } from "../colors.js";
import { useActions } from "../hooks/use-actions.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import { useScreenReport, useUnsavedEdits } from "../screen-context.js";
import { scrollWindow, wrappedLines } from "../scroll-window.js";
import { textFieldActions } from "../terminal/text-field.js";
import { ConfirmDialog, confirmActions } from "./confirm-dialog.js";
import { FormField } from "./form-field.js";
import { PickList } from "./pick-list.js";

const editingActions: readonly ActionId[] = [
	"save",
	"nextField",
	"previousField",
	"cancel",
];

/** The keys of the form, given the focused field and whether a save was refused as a conflict. */
function formActions(
	field: FieldDescription | undefined,
	conflict: boolean,
	testsStore: boolean,
): ActionId[] {
	const actions: ActionId[] = [];
	// On a pick field Enter chooses, so "choose" comes before "next field".
	if (field?.kind === "pick") actions.push("choose");
	if (field?.target) actions.push("follow");
	actions.push(...editingActions);
	if (testsStore) actions.push("testStore");
	if (conflict) actions.push("reload");
	actions.push("formHelp", "interrupt");
	// Listed for the help; the field takes them itself.
	if (field && field.kind !== "pick") actions.push(...textFieldActions);
	return actions;
}

type Props = {
	description: FormDescription<unknown>;
	configuration: Configuration;
	title: string;
	initialDraft: Draft;
	/** The id of the record being edited; undefined for a new one. */
	recordId: string | undefined;
	onSubmit: (draft: Draft) => Promise<SaveOutcome<Record<string, unknown>>>;
	/** Leaves the form; given the saved record after a save. */
	onClose: (saved?: StoredRecord<Record<string, unknown>>) => void;
	/** The record as it is on disk now, after a conflict; null when it was deleted. */
	onReload: () => Draft | null;
	/** Opens the record a link field points at (Ctrl+G). */
	onFollow?: (field: FieldDescription, value: string) => void;
	isActive: boolean;
	/** Lines and columns the form may use; fields scroll when they do not fit. */
	height: number;
	width: number;
	/** Lines computed from the draft as it is typed (the profile's next runs). */
	preview?: (draft: Draft) => string[];
	/** Read-only content under the fields. */
	children?: ReactNode;
	/** Offers the store test (channel databases); `reason` says why it cannot run now. */
	storeTest?: { run: () => void; disabledReason: string | null };
};

type Banner = { text: string; offerReload: boolean };

function problemsByField(problems: FieldProblem[]): Map<string, string> {
	const byField = new Map<string, string>();
	for (const problem of problems) {
		if (!byField.has(problem.field))
			byField.set(problem.field, problem.message);
	}
	return byField;
}

/**
 * The one form every record kind uses. Problems show next to their field
 * once it has been left or a save was tried, and what was typed is kept.
 */
export function RecordForm({
	description,
	configuration,
	title,
	initialDraft,
	recordId,
	onSubmit,
	onClose,
	onReload,
	onFollow,
	isActive,
	height,
	width,
	preview,
	children,
	storeTest,
}: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const { fields } = description;
	const [draft, setDraft] = useState(initialDraft);
	const [baseline, setBaseline] = useState(initialDraft);
	const [focus, setFocus] = useState(0);
	const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
	const [serverProblems, setServerProblems] = useState<FieldProblem[]>([]);
	const [banner, setBanner] = useState<Banner | null>(null);
	const [confirmingDiscard, setConfirmingDiscard] = useState(false);
	const [picking, setPicking] = useState(false);
	const [saving, setSaving] = useState(false);

	const focusedField = fields[focus];
	const dirty = fields.some(
		(field) => (draft[field.key] ?? "") !== (baseline[field.key] ?? ""),
	);
	const problems = useMemo(() => {
		const validated = description.validate(draft, configuration, recordId);
		return problemsByField([
			...(validated.ok ? [] : validated.problems),
			...serverProblems,
		]);
	}, [description, draft, configuration, recordId, serverProblems]);

	const setValue = (key: string, value: string) => {
		setDraft((before) => ({ ...before, [key]: value }));
		setServerProblems((before) =>
			before.filter((problem) => problem.field !== key),
		);
	};

	const move = (step: number) => {
		if (focusedField)
			setShown((before) => new Set(before).add(focusedField.key));
		setFocus((index) => (index + step + fields.length) % fields.length);
	};

	const save = async () => {
		if (saving) return;
		setShown(new Set(fields.map((field) => field.key)));
		const firstProblem = fields.findIndex((field) => problems.has(field.key));
		if (firstProblem >= 0) {
			setFocus(firstProblem);
			return;
		}
		setSaving(true);
		const outcome = await onSubmit(draft);
		setSaving(false);
		if (outcome.ok) {
			onClose(outcome.record);
			return;
		}
		if (outcome.reason === "invalid") {
			setServerProblems(outcome.problems);
			return;
		}
		setBanner({
			text: outcome.message,
			offerReload: outcome.reason === "conflict",
		});
	};

	const reload = () => {
		const current = onReload();
		if (current === null) {
			setBanner({
				text: `This ${description.title} no longer exists.`,
				offerReload: false,
			});
			return;
		}
		setDraft(current);
		setBaseline(current);
		setServerProblems([]);
		setBanner(null);
	};

	const conflict = banner?.offerReload ?? false;
	const testsStore = storeTest !== undefined;
	const actions = useMemo(
		() => formActions(focusedField, conflict, testsStore),
		[focusedField, conflict, testsStore],
	);
	const testDisabled = storeTest?.disabledReason ?? null;
	const disabled = useMemo(
		() => (testDisabled === null ? undefined : { testStore: testDisabled }),
		[testDisabled],
	);
	const typing = isActive && !confirmingDiscard && !picking;
	useScreenReport(
		{
			title: `${description.title} form`,
			actions: confirmingDiscard ? confirmActions : actions,
			...(disabled && !confirmingDiscard ? { disabled } : {}),
		},
		isActive && !picking,
	);
	useUnsavedEdits(dirty);
	useActions(
		actions,
		{
			save: () => void save(),
			nextField: () => move(1),
			previousField: () => move(-1),
			cancel: () => (dirty ? setConfirmingDiscard(true) : onClose()),
			reload,
			choose: () => setPicking(true),
			follow: () => {
				if (focusedField)
					onFollow?.(focusedField, draft[focusedField.key] ?? "");
			},
			testStore: () => storeTest?.run(),
		},
		typing,
		disabled,
	);

	// Labels as wide as the longest, leaving the value at least a third of the line.
	const labelWidth = Math.min(
		Math.max(...fields.map((field) => [...field.label].length)) + 3,
		Math.floor((width * 2) / 3),
	);
	const problemOf = (field: FieldDescription) =>
		shown.has(field.key) ? problems.get(field.key) : undefined;
	const previewLines = !picking && preview ? preview(draft) : [];
	// What is not a field: title and gap, banner, preview, read-only lines, a dialog, the two markers.
	const reserved =
		2 +
		(banner ? wrappedLines(banner.text, width) + 1 : 0) +
		(previewLines.length > 0 ? previewLines.length + 1 : 0) +
		(children && !picking ? 3 : 0) +
		(confirmingDiscard ? 3 : 0) +
		2;
	const window = scrollWindow(
		fields.map(
			(field) =>
				1 +
				(problemOf(field) === undefined
					? 0
					: wrappedLines(`    ✗ ${problemOf(field)}`, width)),
		),
		focus,
		Math.max(1, height - reserved),
	);
	// While a list is open only the field it fills stays on screen, to leave room.
	const visible =
		picking && focusedField
			? [focusedField]
			: fields.slice(window.start, window.end);
	const above = picking ? 0 : window.start;
	const below = picking ? 0 : fields.length - window.end;
	return (
		<Box flexDirection="column">
			<Text bold>{displayText(title)}</Text>
			{banner && (
				<Text color={color("red")} wrap="wrap">
					{displayText(banner.text)}
					{banner.offerReload
						? ` — press ${keyName(keymap.reload)} to reload it (your edits are dropped) or ${keyName(keymap.cancel)} to leave.`
						: ""}
				</Text>
			)}
			<Box flexDirection="column" marginTop={1}>
				{above > 0 && (
					<Text dimColor>
						{"  "}▲ {countOf(above, "more field")} above (
						{keyName(keymap.previousField)})
					</Text>
				)}
				{visible.map((field) => {
					const index = fields.indexOf(field);
					const problem = problemOf(field);
					const focused = index === focus && isActive && !confirmingDiscard;
					return (
						<FormField
							key={field.key}
							field={field}
							value={draft[field.key] ?? ""}
							unused={field.unusedBecause?.(draft) ?? null}
							problem={problem}
							focused={focused}
							typing={typing}
							isNew={recordId === undefined}
							labelWidth={labelWidth}
							onChange={(value) => setValue(field.key, value)}
						/>
					);
				})}
				{below > 0 && (
					<Text dimColor>
						{"  "}▼ {countOf(below, "more field")} below (
						{keyName(keymap.nextField)})
					</Text>
				)}
			</Box>
			{picking && focusedField && (
				<PickList
					title={focusedField.label}
					options={focusedField.options?.(configuration) ?? []}
					{...(focusedField.optionDetail
						? {
								detail: (option: string) =>
									focusedField.optionDetail?.(configuration, option) ?? "",
							}
						: {})}
					emptyText={`Nothing to choose: create a ${focusedField.label} first.`}
					onPick={(option) => {
						setValue(focusedField.key, option);
						setPicking(false);
						move(1);
					}}
					onCancel={() => setPicking(false)}
				/>
			)}
			{previewLines.length > 0 && (
				<Box flexDirection="column" marginTop={1}>
					{previewLines.map((line) => (
						<Text key={line} dimColor wrap="truncate-end">
							{displayText(line)}
						</Text>
					))}
				</Box>
			)}
			{!picking && children}
			{saving && <Text dimColor>Saving…</Text>}
			{confirmingDiscard && (
				<ConfirmDialog
					question="Drop your unsaved changes?"
					onAnswer={(yes) => (yes ? onClose() : setConfirmingDiscard(false))}
				/>
			)}
		</Box>
	);
}
