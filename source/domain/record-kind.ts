import type { Collection, Configuration, RecordMeta } from "./configuration.js";
import type { Validated } from "./validation.js";

/** What a form shows of one field; the label is the ERP's field name. */
export type FieldDescription = {
	key: string;
	label: string;
	/** Short column header for list pages. */
	header: string;
	kind: "text" | "number";
};

/** The values of a form as typed: every field is a string until validated. */
export type Draft = Record<string, string>;

/**
 * Everything generic code (store, CLI, list page, form) needs to know about
 * one kind of record. A new form is a new RecordKind, not a copy of a screen.
 */
export type RecordKind<Fields extends Record<string, unknown>> = {
	collection: Collection;
	/** The form's name in the ERP menu, e.g. "Async Server profile". */
	title: string;
	fields: FieldDescription[];
	validate(
		draft: Draft,
		configuration: Configuration,
		selfId: string | undefined,
	): Validated<Fields>;
	toDraft(record: Fields): Draft;
	/** How messages name a record, e.g. the profile's Name. */
	nameOf(record: Fields): string;
	emptyDraft(): Draft;
	/** The records that point at this one and so forbid deleting it. */
	usedBy(configuration: Configuration, id: string): string[];
};

export type StoredRecord<Fields> = RecordMeta & Fields;

/** Any kind, for code that treats every form alike (navigation, list page, form). */
export type AnyRecordKind = RecordKind<Record<string, unknown>>;
