import { Box, Text } from "ink";
import { type ReactNode, useMemo, useState } from "react";
import type { Draft, FieldDescription } from "../../domain/record-kind.js";
import { displayText } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { useActions } from "../hooks/use-actions.js";
import {
	type RecordDraftOptions,
	useRecordDraft,
} from "../hooks/use-record-draft.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import { useScreenReport, useUnsavedEdits } from "../screen-context.js";
import { scrollWindow, wrappedLines } from "../scroll-window.js";
import { textFieldActions } from "../terminal/text-field.js";
import {
	ConfirmDialog,
	confirmActions,
	confirmDialogHeight,
} from "./confirm-dialog.js";
import { FieldWindow } from "./field-window.js";
import { PickList, pickListHeight } from "./pick-list.js";

/** Field lines a form keeps on screen at least when the live panel wants room. */
const minimumFieldLines = 8;

/** A form's lines that are not fields, each part in lines (0 when not shown). */
type FormParts = {
	banner: number;
	preview: number;
	readOnly: boolean;
	listUnder: number;
	dialog: number;
};

/** What is not a field: title and gap, banner, preview, read-only lines, a list under them, a dialog, the two markers. */
function reservedLines(parts: FormParts): number {
	return (
		2 +
		parts.banner +
		(parts.preview > 0 ? parts.preview + 1 : 0) +
		(parts.readOnly ? 3 : 0) +
		parts.listUnder +
		parts.dialog +
		2
	);
}

/** Everything but the fields, and a few fields to work in; more scroll. */
function formMinimum(reserved: number, fieldLines: number): number {
	return reserved + Math.min(minimumFieldLines, fieldLines);
}

/**
 * The lines a form needs as it opens (no banner, list or dialog yet, one
 * line per field), for the shell to lay out the frame that first shows it.
 */
export function openingFormMinimumRows(
	fields: number,
	previewLines: number,
	readOnly: boolean,
): number {
	return formMinimum(
		reservedLines({
			banner: 0,
			preview: previewLines,
			readOnly,
			listUnder: 0,
			dialog: 0,
		}),
		fields,
	);
}

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

type Props = RecordDraftOptions & {
	title: string;
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

const discardQuestion = "Drop your unsaved changes?";
/** From this width a pick list opens beside the form's fields rather than under them. */
const besideFromColumns = 110;

/**
 * The one form every record kind uses. Problems show next to their field
 * once it has been left or a save was tried, and what was typed is kept.
 */
export function RecordForm(props: Props) {
	const {
		description,
		configuration,
		title,
		recordId,
		onClose,
		onFollow,
		isActive,
		height,
		width,
		preview,
		children,
		storeTest,
	} = props;
	const color = useColor();
	const keymap = useKeymap();
	const { fields } = description;
	const edit = useRecordDraft(props);
	const { focusedField } = edit;
	const [confirmingDiscard, setConfirmingDiscard] = useState(false);
	const [picking, setPicking] = useState(false);

	const conflict = edit.banner?.offerReload ?? false;
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
	useUnsavedEdits(edit.dirty);
	useActions(
		actions,
		{
			save: () => void edit.save(),
			nextField: () => edit.move(1),
			previousField: () => edit.move(-1),
			cancel: () => (edit.dirty ? setConfirmingDiscard(true) : onClose()),
			reload: edit.reload,
			choose: () => setPicking(true),
			follow: () => {
				if (focusedField)
					onFollow?.(focusedField, edit.draft[focusedField.key] ?? "");
			},
			testStore: () => storeTest?.run(),
		},
		typing,
		disabled,
	);

	// While a list is open it sits beside the fields on a wide terminal and
	// under them on a narrow one, so what the choice is for stays in view.
	const beside = picking && width >= besideFromColumns;
	const pickWidth = beside ? Math.floor(width * 0.45) : width;
	const fieldsWidth = beside ? width - pickWidth - 1 : width;
	const pickOptions =
		picking && focusedField
			? (focusedField.options?.(configuration) ?? [])
			: [];
	const optionDetail = focusedField?.optionDetail;
	const pickDetail = optionDetail
		? (option: string) => optionDetail(configuration, option)
		: undefined;
	// Labels as wide as the longest, leaving the value at least a third of the line.
	const labelWidth = Math.min(
		Math.max(...fields.map((field) => [...field.label].length)) + 3,
		Math.floor((fieldsWidth * 2) / 3),
	);
	const previewLines = !picking && preview ? preview(edit.draft) : [];
	const bannerLines = edit.banner
		? wrappedLines(edit.banner.text, width) + 1
		: 0;
	// Under the fields the list leaves them the title, the focused field and its markers.
	const pickHeight = !picking
		? 0
		: pickListHeight(
				pickOptions,
				pickDetail,
				pickWidth,
				height - 2 - bannerLines - (beside ? 0 : 3),
			);
	const reserved = reservedLines({
		banner: bannerLines,
		preview: previewLines.length,
		readOnly: Boolean(children) && !picking,
		listUnder: beside ? 0 : pickHeight,
		dialog: confirmingDiscard
			? confirmDialogHeight(discardQuestion, width, height - 2)
			: 0,
	});
	const fieldHeights = fields.map(
		(field) =>
			1 +
			(edit.problemOf(field) === undefined
				? 0
				: wrappedLines(`    ✗ ${edit.problemOf(field)}`, fieldsWidth)),
	);
	const window = scrollWindow(
		fieldHeights,
		edit.focus,
		Math.max(1, height - reserved),
	);
	useScreenReport(
		{
			title: `${description.title} form`,
			actions: confirmingDiscard ? confirmActions : actions,
			...(disabled && !confirmingDiscard ? { disabled } : {}),
			minimumRows: formMinimum(
				reserved,
				fieldHeights.reduce((sum, lines) => sum + lines, 0),
			),
		},
		isActive && !picking,
	);
	return (
		<Box flexDirection="column">
			<Text bold>{displayText(title)}</Text>
			{edit.banner && (
				<Text color={color("red")} wrap="wrap">
					{displayText(edit.banner.text)}
					{edit.banner.offerReload
						? ` — press ${keyName(keymap.reload)} to reload it (your edits are dropped) or ${keyName(keymap.cancel)} to leave.`
						: ""}
				</Text>
			)}
			<Box
				marginTop={1}
				flexDirection={beside ? "row" : "column"}
				alignItems="flex-start"
			>
				<FieldWindow
					fields={fields}
					window={window}
					focus={isActive && !confirmingDiscard ? edit.focus : -1}
					draft={edit.draft}
					problemOf={edit.problemOf}
					typing={typing}
					isNew={recordId === undefined}
					labelWidth={labelWidth}
					width={fieldsWidth}
					onChange={edit.setValue}
				/>
				{picking && focusedField && (
					<Box marginLeft={beside ? 1 : 0}>
						<PickList
							title={focusedField.label}
							options={pickOptions}
							width={pickWidth}
							height={pickHeight}
							initial={edit.draft[focusedField.key] ?? ""}
							{...(pickDetail ? { detail: pickDetail } : {})}
							emptyText={`Nothing to choose: create a ${focusedField.label} first.`}
							onPick={(option) => {
								edit.setValue(focusedField.key, option);
								setPicking(false);
								edit.move(1);
							}}
							onCancel={() => setPicking(false)}
						/>
					</Box>
				)}
			</Box>
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
			{edit.saving && <Text dimColor>Saving…</Text>}
			{confirmingDiscard && (
				<ConfirmDialog
					question={discardQuestion}
					onAnswer={(yes) => (yes ? onClose() : setConfirmingDiscard(false))}
					width={width}
					room={height - 2}
				/>
			)}
		</Box>
	);
}
