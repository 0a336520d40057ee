import type { Configuration } from "../domain/configuration.js";
import { describeRefusal, type SaveOutcome } from "../domain/record-changes.js";
import type { Draft, StoredRecord } from "../domain/record-kind.js";
import { exitCode, printLine, UsageError } from "./command-line.js";
import type { OptionValues, RecordCommand } from "./record-command.js";
import { draftToJson } from "./record-json.js";

/** A record as --json and export show it: the form's fields, links by name. */
export function recordToJson<Fields extends Record<string, unknown>, Input>(
	spec: RecordCommand<Fields, Input>,
	record: StoredRecord<Fields>,
	configuration: Configuration,
): Record<string, unknown> {
	const json = draftToJson(spec.kind.toDraft(record, configuration), spec.json);
	for (const field of spec.carried ?? [])
		json[field] = (record as Record<string, unknown>)[field] ?? null;
	return json;
}

/** Prints what was done, or turns a refusal into the contract's exit codes. */
export function report<Fields>(
	outcome: SaveOutcome<Fields>,
	done: (record: StoredRecord<Fields>) => void,
): number {
	if (outcome.ok) {
		done(outcome.record);
		return exitCode.success;
	}
	const message = describeRefusal(outcome);
	if (outcome.reason === "invalid" || outcome.reason === "in-use")
		throw new UsageError(message);
	throw new Error(message);
}

/** The flags given on the command line, as draft fields. */
export function flagsToDraft(
	values: OptionValues,
	flags: RecordCommand<Record<string, unknown>>["flags"],
): Draft {
	const draft: Draft = {};
	for (const [flag, { field }] of Object.entries(flags)) {
		const value = values[flag];
		if (typeof value === "string") draft[field] = value;
		// Repeated --channel A --channel B is the list "A, B"; the form checks each ID.
		if (Array.isArray(value)) draft[field] = value.map(String).join(", ");
	}
	return draft;
}

function pad(text: string, width: number): string {
	return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** Columns padded to their widest cell, two spaces apart; the last one is not padded. */
export function printTable(headers: string[], rows: string[][]): void {
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
	);
	const line = (cells: string[]) =>
		cells
			.map((cell, column) =>
				column === cells.length - 1 ? cell : pad(cell, widths[column] ?? 0),
			)
			.join("  ");
	printLine(line(headers));
	for (const row of rows) printLine(line(row));
}
