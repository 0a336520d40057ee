import type { Configuration } from "../domain/configuration.js";
import type { EditTarget, SaveOutcome } from "../domain/record-changes.js";
import {
	columnText,
	type Draft,
	type DraftColumn,
	type RecordKind,
	recordsOf,
	type StoredRecord,
} from "../domain/record-kind.js";
import { inertJson, quoted } from "../domain/text.js";
import { sameName } from "../domain/validation.js";
import type { ConfigurationStore } from "../store/configuration-store.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printLine,
	printText,
	UsageError,
} from "./command-line.js";
import type { JsonFields } from "./record-json.js";
import {
	flagsToDraft,
	printTable,
	recordToJson,
	report,
} from "./record-output.js";

/** Parsed options, as util.parseArgs gives them for a table built at run time. */
export type OptionValues = Record<
	string,
	string | boolean | (string | boolean)[] | undefined
>;

export type EditContext<Fields> = {
	store: ConfigurationStore;
	values: OptionValues;
	/** The record `set` changes; undefined for `add`. */
	existing: StoredRecord<Fields> | undefined;
};

/** A subcommand beyond list/show/add/set/delete that acts on one record (full-sync). */
export type RecordAction<Fields> = {
	run(
		store: ConfigurationStore,
		target: EditTarget,
	): Promise<SaveOutcome<Fields>>;
	done(name: string): string;
};

/**
 * Everything `cdx <form> list|show|add|set|delete` needs to know about one
 * form beyond its RecordKind. A new form's CLI is one of these, not a copy.
 */
export type RecordCommand<
	Fields extends Record<string, unknown>,
	Input = Fields,
> = {
	/** The subcommand: "working-folders". */
	command: string;
	kind: RecordKind<Fields, Input>;
	/** How messages name one record: "Async Server profile", "channel database". */
	noun: string;
	/** The positional argument as messages name it: "the profile's NAME". */
	argument: string;
	help: string;
	/** --flag → the draft field it fills; a repeatable flag fills a list field. */
	flags: Record<string, { field: string; repeatable?: boolean }>;
	/** Options for add and set beyond the fields (--create), read by the hooks. */
	editOptions?: Record<string, { type: "boolean" } | { type: "string" }>;
	/** Options refused before parsing, with the reason (a password as an argument). */
	refusedOptions?: Record<string, string>;
	/** The columns of `list`, by draft field (links show by name). */
	columns: ({ header: string } & DraftColumn)[];
	/** --json, export and import: the draft fields and their JSON shapes. */
	json: JsonFields;
	/** Record fields outside the form, shown and exported as stored (null when unset). */
	carried?: string[];
	/** Fields `show --json` adds after the record's own (where its data lives). */
	shownWith?(
		record: StoredRecord<Fields>,
		databasePath: string,
	): Record<string, unknown>;
	/** Lines `show` adds after the fields. */
	details?(
		record: StoredRecord<Fields>,
		configuration: Configuration,
		databasePath: string,
	): string[];
	/** Draft fields that come from elsewhere than a flag (stdin), read before the database is opened. */
	readInput?(values: OptionValues): Promise<Draft>;
	/** Runs before add or set saves; throws to stop the save. */
	beforeSave?(draft: Draft, context: EditContext<Fields>): Promise<void>;
	afterSave?(
		record: StoredRecord<Fields>,
		context: EditContext<Fields>,
	): Promise<void>;
	actions?: Record<string, RecordAction<Fields>>;
};

/** Any form's command, for code that treats every form alike (export, import). */
export type AnyRecordCommand = RecordCommand<Record<string, unknown>, unknown>;

const recordCommands = ["list", "show", "add", "set", "delete"];
const editCommands = ["add", "set"];

function capitalised(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Refuses `--password` and the like before parsing, so the refusal says why. */
function refuseOptions(
	args: string[],
	refused: Record<string, string> | undefined,
): void {
	for (const arg of args) {
		if (arg === "--") return;
		for (const [option, reason] of Object.entries(refused ?? {})) {
			if (arg === `--${option}` || arg.startsWith(`--${option}=`))
				throw new UsageError(`--${option} is refused: ${reason}`);
		}
	}
}

export async function runRecordCommand<
	Fields extends Record<string, unknown>,
	Input,
>(spec: RecordCommand<Fields, Input>, args: string[]): Promise<number> {
	const usage = `cdx ${spec.command}`;
	const seeHelp = `(see ${usage} --help)`;
	refuseOptions(args, spec.refusedOptions);
	const fieldOptions = Object.fromEntries(
		Object.entries(spec.flags).map(([flag, { repeatable }]) => [
			flag,
			repeatable
				? { type: "string" as const, multiple: true }
				: { type: "string" as const },
		]),
	);
	const parsed = parseCommandLine(
		args,
		{
			...databaseOption,
			json: { type: "boolean" },
			name: { type: "string" },
			...fieldOptions,
			...spec.editOptions,
		},
		usage,
	);
	const values = parsed.values as OptionValues;
	const [subcommand, name, ...extra] = parsed.positionals;
	if (values.help || subcommand === undefined)
		return helpShown(spec.help, values.help === true);
	// Checked before the database is opened: opening creates it, and exit 2 promises nothing changed.
	const action = Object.hasOwn(spec.actions ?? {}, subcommand)
		? spec.actions?.[subcommand]
		: undefined;
	if (!recordCommands.includes(subcommand) && !action)
		throw new UsageError(
			`unknown command ${quoted(subcommand)} for ${usage} ${seeHelp}`,
		);
	const unexpected = subcommand === "list" ? name : extra[0];
	if (unexpected !== undefined)
		throw new UsageError(
			`unexpected argument ${quoted(unexpected)} ${seeHelp}`,
		);
	if (subcommand !== "list" && name === undefined)
		throw new UsageError(
			`${usage} ${subcommand} needs ${spec.argument} ${seeHelp}`,
		);
	const editOnly = [
		...Object.keys(spec.flags),
		...Object.keys(spec.editOptions ?? {}),
	].find((option) => values[option] !== undefined);
	if (editOnly !== undefined && !editCommands.includes(subcommand))
		throw new UsageError(`--${editOnly} is for add and set only ${seeHelp}`);
	if (values.name !== undefined && subcommand !== "set")
		throw new UsageError(
			`--name renames a record: it is for set only ${seeHelp}`,
		);
	const typed = {
		...flagsToDraft(values, spec.flags),
		...(editCommands.includes(subcommand)
			? await spec.readInput?.(values)
			: {}),
	};

	const store = await openStore(
		typeof values.db === "string" ? values.db : undefined,
	);
	const configuration = () => store.getSnapshot().configuration;
	const records = () =>
		recordsOf(configuration(), spec.kind.collection) as StoredRecord<Fields>[];
	const find = (wanted: string) => {
		const record = records().find((candidate) =>
			sameName(spec.kind.nameOf(candidate), wanted),
		);
		if (!record)
			throw new UsageError(
				`${capitalised(spec.noun)} ${quoted(wanted)} not found (see ${usage} list)`,
			);
		return record;
	};
	// A command never showed a version: it changes the record as it is when the lock is held.
	const targetOf = (record: StoredRecord<Fields>): EditTarget => ({
		id: record.id,
	});
	/** After a change: the record as JSON with --json, else `done` in words. */
	const printDone =
		(done: (name: string) => string) => (record: StoredRecord<Fields>) => {
			if (values.json)
				printText(inertJson(recordToJson(spec, record, configuration())));
			else printLine(done(spec.kind.nameOf(record)));
		};

	if (action) {
		const record = find(name ?? "");
		const outcome = await action.run(store, targetOf(record));
		return report(outcome, printDone(action.done));
	}
	switch (subcommand) {
		case "list": {
			const sorted = [...records()].sort((a, b) =>
				spec.kind.nameOf(a).localeCompare(spec.kind.nameOf(b), undefined, {
					sensitivity: "base",
				}),
			);
			if (values.json) {
				printText(
					inertJson(
						sorted.map((record) => recordToJson(spec, record, configuration())),
					),
				);
				return exitCode.success;
			}
			printTable(
				spec.columns.map((column) => column.header),
				sorted.map((record) => {
					const draft = spec.kind.toDraft(record, configuration());
					return spec.columns.map((column) => columnText(column, draft));
				}),
			);
			return exitCode.success;
		}
		case "show": {
			const record = find(name ?? "");
			if (values.json) {
				printText(
					inertJson({
						...recordToJson(spec, record, configuration()),
						...spec.shownWith?.(record, store.path),
					}),
				);
				return exitCode.success;
			}
			const draft = spec.kind.toDraft(record, configuration());
			for (const field of spec.kind.fields) {
				// A password is typed, never shown again.
				if (field.kind === "password") continue;
				printLine(`${field.label}: ${draft[field.key] ?? ""}`);
			}
			for (const line of spec.details?.(record, configuration(), store.path) ??
				[])
				printLine(line);
			return exitCode.success;
		}
		case "add":
		case "set": {
			const existing = subcommand === "set" ? find(name ?? "") : undefined;
			const changes: Draft = {
				...typed,
				...(typeof values.name === "string" ? { name: values.name } : {}),
			};
			// The hooks see the record as it would be saved now; the save re-reads it under the lock.
			const draft: Draft = existing
				? { ...spec.kind.toDraft(existing, configuration()), ...changes }
				: { ...spec.kind.emptyDraft(), ...typed, name: name ?? "" };
			const context = { store, values, existing };
			await spec.beforeSave?.(draft, context);
			const outcome = existing
				? await store.change(spec.kind, existing.id, changes)
				: await store.save(spec.kind, draft);
			if (outcome.ok) await spec.afterSave?.(outcome.record, context);
			const verb = existing ? "Saved" : "Added";
			return report(
				outcome,
				printDone((saved) => `${verb} ${spec.noun} ${quoted(saved)}`),
			);
		}
		case "delete": {
			const record = find(name ?? "");
			const outcome = await store.remove(spec.kind, targetOf(record));
			return report(
				outcome,
				printDone((deleted) => `Deleted ${spec.noun} ${quoted(deleted)}`),
			);
		}
		default:
			throw new Error(`unhandled command ${subcommand}`);
	}
}
