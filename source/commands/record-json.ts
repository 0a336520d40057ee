import type { Draft, FieldDescription } from "../domain/record-kind.js";
import type { FieldProblem } from "../domain/validation.js";

/**
 * How a form field looks in --json, export and import: text as typed, a
 * number, a list of IDs, or the Yes/No of a pick as true/false.
 */
export type JsonShape = "text" | "number" | "list" | "yes-no";

/** A form's JSON: each draft field, in the order printed, with its shape. */
export type JsonFields = Record<string, JsonShape>;

function encode(value: string, shape: JsonShape): unknown {
	switch (shape) {
		case "text":
			return value;
		case "number":
			return Number(value);
		case "list":
			return value
				.split(",")
				.map((part) => part.trim())
				.filter((part) => part !== "");
		case "yes-no":
			return value === "Yes";
		default: {
			const unknown: never = shape;
			throw new TypeError(`unknown JSON shape ${String(unknown)}`);
		}
	}
}

/** A draft (the form as shown, links by name) as scripts get it. */
export function draftToJson(
	draft: Draft,
	fields: JsonFields,
): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(fields).map(([field, shape]) => [
			field,
			encode(draft[field] ?? "", shape),
		]),
	);
}

const expected: Record<JsonShape, string> = {
	text: "a string",
	number: "a number",
	list: "a list of IDs",
	"yes-no": "true or false",
};

function typeName(value: unknown): string {
	if (Array.isArray(value)) return "a list";
	return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** One JSON value as the text a form would hold; the form's rules check it after. */
function decode(value: unknown, shape: JsonShape): string | null {
	if (value === undefined || value === null) return "";
	if (typeof value === "string") return value;
	if (shape === "number" && typeof value === "number") return String(value);
	if (shape === "yes-no" && typeof value === "boolean")
		return value ? "Yes" : "No";
	if (
		shape === "list" &&
		Array.isArray(value) &&
		value.every((item) => typeof item === "string")
	)
		return value.join(", ");
	return null;
}

/**
 * A record from an import file as a draft, for the form's own validation.
 * Only a value of the wrong JSON type is a problem here; what it says is
 * for the form to judge.
 */
export function jsonToDraft(
	entry: Record<string, unknown>,
	fields: JsonFields,
	formFields: FieldDescription[],
): { draft: Draft; problems: FieldProblem[] } {
	const draft: Draft = {};
	const problems: FieldProblem[] = [];
	for (const [field, shape] of Object.entries(fields)) {
		const text = decode(entry[field], shape);
		if (text !== null) {
			draft[field] = text;
			continue;
		}
		problems.push({
			field,
			label:
				formFields.find((candidate) => candidate.key === field)?.label ?? field,
			message: `must be ${expected[shape]} (got ${typeName(entry[field])})`,
		});
	}
	return { draft, problems };
}
