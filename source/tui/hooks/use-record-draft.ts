import { useMemo, useState } from "react";
import type { Configuration } from "../../domain/configuration.js";
import type { SaveOutcome } from "../../domain/record-changes.js";
import type {
	Draft,
	FieldDescription,
	FormDescription,
	StoredRecord,
} from "../../domain/record-kind.js";
import type { FieldProblem } from "../../domain/validation.js";

/** A refused save: what the store said, and whether reloading the record may help. */
export type Banner = { text: string; offerReload: boolean };

function problemsByField(problems: FieldProblem[]): Map<string, string> {
	const byField = new Map<string, string>();
	for (const problem of problems) {
		if (!byField.has(problem.field))
			byField.set(problem.field, problem.message);
	}
	return byField;
}

export type RecordDraftOptions = {
	description: FormDescription<unknown>;
	configuration: Configuration;
	initialDraft: Draft;
	/** The id of the record being edited; undefined for a new one. */
	recordId: string | undefined;
	onSubmit: (draft: Draft) => Promise<SaveOutcome<Record<string, unknown>>>;
	/** Leaves the form; given the saved record after a save. */
	onClose: (saved?: StoredRecord<Record<string, unknown>>) => void;
	/** The record as it is on disk now, after a conflict; null when it was deleted. */
	onReload: () => Draft | null;
};

/**
 * What a record form is editing: the draft against the record it started
 * from, the focused field, the problems shown (a field's once it has been
 * left or a save was tried), and the save and reload that change them.
 */
export function useRecordDraft(options: RecordDraftOptions) {
	const { description, configuration, recordId } = options;
	const { fields } = description;
	const [draft, setDraft] = useState(options.initialDraft);
	const [baseline, setBaseline] = useState(options.initialDraft);
	const [focus, setFocus] = useState(0);
	const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
	const [serverProblems, setServerProblems] = useState<FieldProblem[]>([]);
	const [banner, setBanner] = useState<Banner | null>(null);
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
	const problemOf = (field: FieldDescription) =>
		shown.has(field.key) ? problems.get(field.key) : undefined;

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
		const outcome = await options.onSubmit(draft);
		setSaving(false);
		if (outcome.ok) {
			options.onClose(outcome.record);
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
		const current = options.onReload();
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

	return {
		draft,
		focus,
		focusedField,
		dirty,
		problemOf,
		banner,
		saving,
		setValue,
		move,
		save,
		reload,
	};
}
