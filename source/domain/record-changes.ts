import { channelDatabaseKind } from "./channel-database.js";
import {
	type ChannelDatabaseFields,
	type Configuration,
	currentSchemaVersion,
	type RecordMeta,
	type SchedulerParameters,
} from "./configuration.js";
import {
	type Draft,
	type RecordKind,
	recordsOf,
	type StoredRecord,
} from "./record-kind.js";
import {
	parametersToDraft,
	schedulerParametersForm,
} from "./scheduler-parameters.js";
import { quoted } from "./text.js";
import { describeProblem, type FieldProblem } from "./validation.js";

/*
 * The five changes an operator makes to the configuration, as pure
 * functions of the configuration as it is on disk now. The store runs them
 * under its lock and writes what they return; they never see a file.
 */

/** Who makes a change and when; `newId` names a new record. */
export type Editor = { at: Date; by: string; newId: () => string };

/**
 * The record a change is for. `expectedVersion` is the version an editor
 * showed (the change is refused if the record moved on since); a command
 * that never showed the record leaves it out and changes what is current.
 */
export type EditTarget = { id: string; expectedVersion?: number };

export type SaveOutcome<Fields> =
	| { ok: true; record: StoredRecord<Fields> }
	| { ok: false; reason: "invalid"; problems: FieldProblem[] }
	| {
			ok: false;
			reason: "conflict" | "not-found" | "in-use" | "write-failed";
			message: string;
	  };

/** What a change yields: the configuration to write, or none, and what to tell the user. */
export type Change<Result> =
	| { ok: true; next: Configuration; result: Result }
	| { ok: false; result: Result };

/** A refused save or delete as one line: the reason, or each field's problem. */
export function describeRefusal(
	outcome: Exclude<SaveOutcome<unknown>, { ok: true }>,
): string {
	return outcome.reason === "invalid"
		? outcome.problems.map(describeProblem).join("; ")
		: outcome.message;
}

/** The one place a record gets its id, next version, time and author. */
export function stamp<Fields extends object>(
	fields: Fields,
	id: string,
	previousVersion: number,
	editor: Editor,
): Fields & RecordMeta {
	return {
		...fields,
		id,
		version: previousVersion + 1,
		modifiedAt: editor.at.toISOString(),
		modifiedBy: editor.by,
	};
}

function timeOf(isoDate: string): string {
	return isoDate.replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** A change refused for `reason`, with the line that says why. */
function refused(
	reason: "conflict" | "not-found" | "in-use",
	message: string,
): Change<SaveOutcome<never>> {
	return { ok: false, result: { ok: false, reason, message } };
}

function invalid(problems: FieldProblem[]): Change<SaveOutcome<never>> {
	return { ok: false, result: { ok: false, reason: "invalid", problems } };
}

function missing(kind: { title: string }): Change<SaveOutcome<never>> {
	return refused(
		"not-found",
		`this ${kind.title} was deleted by someone else after you opened it`,
	);
}

/** Refuses a change to a record that is gone, or that moved past the version the editor showed. */
function refusal<Fields>(
	kind: { title: string },
	existing: StoredRecord<Fields> | undefined,
	target: EditTarget,
): Change<SaveOutcome<never>> | null {
	if (!existing) return missing(kind);
	if (
		target.expectedVersion === undefined ||
		existing.version === target.expectedVersion
	)
		return null;
	return refused(
		"conflict",
		`${existing.modifiedBy} changed this ${kind.title} at ${timeOf(existing.modifiedAt)}, after you opened it`,
	);
}

function typedRecords<Fields>(
	configuration: Configuration,
	kind: RecordKind<Fields & Record<string, unknown>, unknown>,
): StoredRecord<Fields>[] {
	return recordsOf(configuration, kind.collection) as StoredRecord<Fields>[];
}

function withRecords<Fields>(
	configuration: Configuration,
	kind: { collection: string },
	records: StoredRecord<Fields>[],
): Configuration {
	return { ...configuration, [kind.collection]: records };
}

/**
 * Adds a record (no target) or saves the whole draft of one (a form).
 * `sealedSecret` is the typed secret, already encrypted; a record keeps the
 * one stored when none was typed, and fields the form does not show.
 */
export function saveRecord<Fields extends Record<string, unknown>, Input>(
	configuration: Configuration,
	kind: RecordKind<Fields, Input>,
	draft: Draft,
	target: EditTarget | undefined,
	editor: Editor,
	sealedSecret?: string,
): Change<SaveOutcome<Fields>> {
	const records = typedRecords<Fields>(configuration, kind);
	const existing = target
		? records.find((record) => record.id === target.id)
		: undefined;
	const stale = target ? refusal(kind, existing, target) : null;
	if (stale) return stale;
	const validated = kind.validate(draft, configuration, target?.id);
	if (!validated.ok) return invalid(validated.problems);
	const fields: Record<string, unknown> = { ...existing, ...validated.value };
	if (kind.secret) {
		delete fields[kind.secret.typed];
		if (sealedSecret !== undefined) fields[kind.secret.stored] = sealedSecret;
	}
	const record = stamp(
		fields,
		existing?.id ?? editor.newId(),
		existing?.version ?? 0,
		editor,
	) as StoredRecord<Fields>;
	const next = existing
		? records.map((candidate) =>
				candidate.id === record.id ? record : candidate,
			)
		: [...records, record];
	return {
		ok: true,
		next: withRecords(configuration, kind, next),
		result: { ok: true, record },
	};
}

/**
 * A command's `set`: changes only the named fields of the record as it is
 * now; every other field keeps its current value, whoever saved it.
 */
export function changeRecord<Fields extends Record<string, unknown>, Input>(
	configuration: Configuration,
	kind: RecordKind<Fields, Input>,
	id: string,
	changes: Draft,
	editor: Editor,
	sealedSecret?: string,
): Change<SaveOutcome<Fields>> {
	const existing = typedRecords<Fields>(configuration, kind).find(
		(record) => record.id === id,
	);
	if (!existing) return missing(kind);
	return saveRecord(
		configuration,
		kind,
		{ ...kind.toDraft(existing, configuration), ...changes },
		{ id, expectedVersion: existing.version },
		editor,
		sealedSecret,
	);
}

/**
 * Saves the Retail scheduler parameters, the one record edited in place:
 * the whole draft against the version an editor showed, or (no version)
 * only the fields a command names.
 */
export function saveParameters(
	configuration: Configuration,
	draft: Draft,
	expectedVersion: number | undefined,
	editor: Editor,
): Change<SaveOutcome<SchedulerParameters>> {
	const current = configuration.parameters;
	if (expectedVersion !== undefined && current.version !== expectedVersion)
		return refused(
			"conflict",
			`${current.modifiedBy} changed the ${schedulerParametersForm.title} at ${timeOf(current.modifiedAt)}, after you opened them`,
		);
	const full =
		expectedVersion === undefined
			? { ...parametersToDraft(current), ...draft }
			: draft;
	const validated = schedulerParametersForm.validate(
		full,
		configuration,
		current.id,
	);
	if (!validated.ok) return invalid(validated.problems);
	const record = stamp(validated.value, current.id, current.version, editor);
	return {
		ok: true,
		next: { ...configuration, parameters: record },
		result: { ok: true, record },
	};
}

/**
 * "Full data sync": marks a channel database so its client takes all data
 * again on its next download cycle.
 */
export function requestFullSync(
	configuration: Configuration,
	target: EditTarget,
	editor: Editor,
): Change<SaveOutcome<ChannelDatabaseFields>> {
	const existing = configuration.channelDatabases.find(
		(database) => database.id === target.id,
	);
	const stale = refusal(channelDatabaseKind, existing, target);
	if (stale || !existing) return stale ?? missing(channelDatabaseKind);
	const record = stamp(
		{ ...existing, fullSyncRequestedAt: editor.at.toISOString() },
		existing.id,
		existing.version,
		editor,
	);
	return {
		ok: true,
		next: {
			...configuration,
			channelDatabases: configuration.channelDatabases.map((database) =>
				database.id === record.id ? record : database,
			),
		},
		result: { ok: true, record },
	};
}

/** Deletes a record nothing else uses. */
export function removeRecord<Fields extends Record<string, unknown>, Input>(
	configuration: Configuration,
	kind: RecordKind<Fields, Input>,
	target: EditTarget,
): Change<SaveOutcome<Fields>> {
	const records = typedRecords<Fields>(configuration, kind);
	const existing = records.find((record) => record.id === target.id);
	const stale = refusal(kind, existing, target);
	if (stale || !existing) return stale ?? missing(kind);
	const users = kind.usedBy(configuration, target.id);
	if (users.length > 0)
		return refused(
			"in-use",
			`${kind.title} ${quoted(kind.nameOf(existing))} is used by ${users.join(", ")}; change those first`,
		);
	return {
		ok: true,
		next: withRecords(
			configuration,
			kind,
			records.filter((record) => record.id !== target.id),
		),
		result: { ok: true, record: existing },
	};
}

/**
 * cdx import: the whole configuration at once; the caller validated it and
 * picked the ids. A record that keeps an id goes one version past the one
 * stored now, so an editor that had it open gets a conflict instead of
 * overwriting the import.
 */
export function replaceAll(
	current: Configuration,
	next: Configuration,
	editor: Editor,
): Change<undefined> {
	const restamp = <R extends RecordMeta>(
		records: R[],
		stored: RecordMeta[],
	): R[] => {
		const versions = new Map(
			stored.map((record) => [record.id, record.version]),
		);
		return records.map((record) =>
			stamp(record, record.id, versions.get(record.id) ?? 0, editor),
		);
	};
	return {
		ok: true,
		next: {
			schemaVersion: currentSchemaVersion,
			profiles: restamp(next.profiles, current.profiles),
			workingFolders: restamp(next.workingFolders, current.workingFolders),
			dataGroups: restamp(next.dataGroups, current.dataGroups),
			channelDatabases: restamp(
				next.channelDatabases,
				current.channelDatabases,
			),
			parameters: stamp(
				next.parameters,
				current.parameters.id,
				current.parameters.version,
				editor,
			),
		},
		result: undefined,
	};
}
