import { Box, Text } from "ink";
import { useCallback, useMemo, useState } from "react";
import type { Configuration } from "../../domain/configuration.js";
import type {
	AnyRecordKind,
	Draft,
	StoredRecord,
} from "../../domain/record-kind.js";
import { displayText } from "../../domain/text.js";
import type { FieldProblem } from "../../domain/validation.js";
import type { SaveOutcome } from "../../store/configuration-store.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { ConfirmDialog, confirmActions } from "./confirm-dialog.js";
import { TextField } from "./text-field.js";

const editingActions: readonly ActionId[] = [
	"save",
	"nextField",
	"previousField",
	"cancel",
];
const conflictActions: readonly ActionId[] = [...editingActions, "reload"];

type Props = {
	kind: AnyRecordKind;
	configuration: Configuration;
	title: string;
	initialDraft: Draft;
	/** The id of the record being edited; undefined for a new one. */
	recordId: string | undefined;
	onSubmit: (draft: Draft) => Promise<SaveOutcome<Record<string, unknown>>>;
	/** Leaves the form; given the saved record's id after a save. */
	onClose: (saved?: StoredRecord<Record<string, unknown>>) => void;
	/** The record as it is on disk now, after a conflict; null when it was deleted. */
	onReload: () => Draft | null;
	isActive: boolean;
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
	kind,
	configuration,
	title,
	initialDraft,
	recordId,
	onSubmit,
	onClose,
	onReload,
	isActive,
}: Props) {
	const [draft, setDraft] = useState(initialDraft);
	const [baseline, setBaseline] = useState(initialDraft);
	const [focus, setFocus] = useState(0);
	const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
	const [serverProblems, setServerProblems] = useState<FieldProblem[]>([]);
	const [banner, setBanner] = useState<Banner | null>(null);
	const [confirmingDiscard, setConfirmingDiscard] = useState(false);
	const [saving, setSaving] = useState(false);

	const dirty = kind.fields.some(
		(field) => (draft[field.key] ?? "") !== (baseline[field.key] ?? ""),
	);
	const problems = useMemo(() => {
		const validated = kind.validate(draft, configuration, recordId);
		return problemsByField([
			...(validated.ok ? [] : validated.problems),
			...serverProblems,
		]);
	}, [kind, draft, configuration, recordId, serverProblems]);

	const move = (step: number) => {
		const leaving = kind.fields[focus]?.key;
		if (leaving) setShown((before) => new Set(before).add(leaving));
		setFocus(
			(index) => (index + step + kind.fields.length) % kind.fields.length,
		);
	};

	const save = async () => {
		if (saving) return;
		setShown(new Set(kind.fields.map((field) => field.key)));
		const firstProblem = kind.fields.findIndex((field) =>
			problems.has(field.key),
		);
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
				text: `This ${kind.title} no longer exists.`,
				offerReload: false,
			});
			return;
		}
		setDraft(current);
		setBaseline(current);
		setServerProblems([]);
		setBanner(null);
	};

	const actions = banner?.offerReload ? conflictActions : editingActions;
	useScreenReport(
		{
			title: `${kind.title} form`,
			actions: confirmingDiscard ? confirmActions : actions,
			dirty,
		},
		isActive,
	);
	useActions(
		actions,
		{
			save: () => void save(),
			nextField: () => move(1),
			previousField: () => move(-1),
			cancel: () => (dirty ? setConfirmingDiscard(true) : onClose()),
			reload,
		},
		isActive && !confirmingDiscard,
	);

	const change = useCallback(
		(key: string) => (value: string) => {
			setDraft((before) => ({ ...before, [key]: value }));
			setServerProblems((before) =>
				before.filter((problem) => problem.field !== key),
			);
		},
		[],
	);

	return (
		<Box flexDirection="column">
			<Text bold>{displayText(title)}</Text>
			{banner && (
				<Text color="red" wrap="wrap">
					{displayText(banner.text)}
					{banner.offerReload
						? " — press Ctrl+R to reload it (your edits are dropped) or Esc to leave."
						: ""}
				</Text>
			)}
			<Box flexDirection="column" marginTop={1}>
				{kind.fields.map((field, index) => {
					const problem = shown.has(field.key)
						? problems.get(field.key)
						: undefined;
					const focused = index === focus && isActive && !confirmingDiscard;
					return (
						<Box key={field.key} flexDirection="column">
							<Box>
								<Box width={36} flexShrink={0}>
									<Text color={focused ? "cyan" : undefined}>
										{focused ? "› " : "  "}
										{field.label}
									</Text>
								</Box>
								<Box flexGrow={1}>
									<TextField
										value={draft[field.key] ?? ""}
										onChange={change(field.key)}
										focus={focused}
									/>
								</Box>
							</Box>
							{problem && (
								<Text color="red" wrap="truncate-end">
									{"    ✗ "}
									{displayText(problem)}
								</Text>
							)}
						</Box>
					);
				})}
			</Box>
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
