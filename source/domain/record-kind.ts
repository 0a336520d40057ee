import type { Collection, Configuration, RecordMeta } from "./configuration.js";
import type { Validated } from "./validation.js";

/** What a form shows of one field; the label is the ERP's field name. */
export type FieldDescription = {
	key: string;
	label: string;
	/** Short column header for list pages. */
	header: string;
	/**
	 * text and number are typed; password is typed masked and never shown;
	 * pick chooses one of `options`; list is a comma-separated list of IDs.
	 */
	kind: "text" | "number" | "password" | "pick" | "list";
	/** For pick fields: the values the field may take, given the configuration. */
	options?: (configuration: Configuration) => string[];
	/** For pick fields: what the list shows beside a value (a profile's schedule, a group's description). */
	optionDetail?: (configuration: Configuration, value: string) => string;
	/** For pick fields that point at another record: its collection, so a key can jump there. */
	target?: Collection;
	/** The most characters the field takes; typing beyond is refused as it is typed. */
	maxLength?: number;
	/** Why the field does not count while the draft is like this (a cron replaces the interval), else null. */
	unusedBecause?: (draft: Draft) => string | null;
};

/** A column of a list: a draft field as typed, or text made from the whole draft (a schedule). */
export type DraftColumn =
	| { field: string }
	| { header: string; text: (draft: Draft) => string };

/** What a list shows in a column for one record's draft. */
export function columnText(column: DraftColumn, draft: Draft): string {
	return "text" in column ? column.text(draft) : (draft[column.field] ?? "");
}

/** The values of a form as typed: every field is a string until validated. */
export type Draft = Record<string, string>;

/** What the generic form needs: its fields and how to check them. */
export type FormDescription<Fields> = {
	/** The form's name in the ERP menu, e.g. "Async Server profile". */
	title: string;
	fields: FieldDescription[];
	validate(
		draft: Draft,
		configuration: Configuration,
		selfId: string | undefined,
	): Validated<Fields>;
};

/**
 * Everything generic code (store, CLI, list page, form) needs to know about
 * one kind of record. A new form is a new RecordKind, not a copy of a screen.
 */
export type RecordKind<
	Fields extends Record<string, unknown>,
	/** What validation yields; differs from Fields where the store derives a field (a secret). */
	Input = Fields,
> = FormDescription<Input> & {
	collection: Collection;
	/** The record as a form shows it: links by the other record's name. */
	toDraft(record: Fields, configuration: Configuration): Draft;
	emptyDraft(): Draft;
	/** How messages name a record, e.g. the profile's Name. */
	nameOf(record: Fields): string;
	/** The records that point at this one and so forbid deleting it, as "Channel database X". */
	usedBy(configuration: Configuration, id: string): string[];
	/**
	 * A field typed in plain text but stored encrypted: the store encrypts
	 * `typed` into `stored`; an empty `typed` keeps what is stored.
	 */
	secret?: { typed: string; stored: string };
};

export type StoredRecord<Fields> = RecordMeta & Fields;

/** Any kind, for code that treats every form alike (navigation, list page, form). */
export type AnyRecordKind = RecordKind<Record<string, unknown>>;

/** The records of a collection, typed for code that handles every kind alike. */
export function recordsOf(
	configuration: Configuration,
	collection: Collection,
): StoredRecord<Record<string, unknown>>[] {
	return configuration[collection] as unknown as StoredRecord<
		Record<string, unknown>
	>[];
}

/** The name of the record with this id, for drafts and JSON that show links by name. */
export function nameById(
	records: readonly { id: string; name: string }[],
	id: string,
): string {
	return records.find((record) => record.id === id)?.name ?? "";
}

/**
 * A pick field that points at another record: the names of `target`'s
 * records to choose from, `detail` beside each, and a key to jump there.
 */
export function pickByName<C extends Collection>(
	target: C,
	detail: (record: Configuration[C][number]) => string,
): Pick<FieldDescription, "kind" | "options" | "optionDetail" | "target"> {
	const recordsIn = (configuration: Configuration) =>
		configuration[target] as readonly Configuration[C][number][];
	return {
		kind: "pick",
		options: (configuration) =>
			recordsIn(configuration).map((record) => record.name),
		optionDetail: (configuration, value) => {
			const record = recordsIn(configuration).find(
				(candidate) => candidate.name === value,
			);
			return record ? detail(record) : "";
		},
		target,
	};
}
