import {
	characterCount,
	countOf,
	hasUnsafeCharacters,
	numberText,
	quoted,
} from "./text.js";

/** A refused field: `message` reads after the label, e.g. "must be a whole number …". */
export type FieldProblem = { field: string; label: string; message: string };

export type Validated<T> =
	| { ok: true; value: T }
	| { ok: false; problems: FieldProblem[] };

/** The one-line form of a problem, as the CLI prints it and tests read it. */
export function describeProblem(problem: FieldProblem): string {
	return `${problem.label}: ${problem.message}`;
}

export type FieldRule<T> = (
	raw: string,
) => { ok: true; value: T } | { ok: false; message: string };

/** How long a record's Name and Description may be, as in the ERP. */
export const maxNameLength = 20;
export const maxDescriptionLength = 60;

export function wholeNumber(min: number, max: number): FieldRule<number> {
	return (raw) => {
		const trimmed = raw.trim();
		const rule = `must be a whole number from ${min} to ${max}`;
		if (trimmed === "") return { ok: false, message: `${rule} (required)` };
		if (!/^[0-9]+$/.test(trimmed)) {
			return { ok: false, message: `${rule} (got ${quoted(raw)})` };
		}
		const value = Number(trimmed);
		if (value < min || value > max) {
			return { ok: false, message: `${rule} (got ${quoted(raw)})` };
		}
		return { ok: true, value };
	};
}

export function optionalText(maxLength: number): FieldRule<string> {
	return (raw) => {
		const value = raw.trim();
		if (characterCount(value) > maxLength) {
			return {
				ok: false,
				message: `must be at most ${countOf(maxLength, "character")} (got ${numberText(characterCount(value))})`,
			};
		}
		if (hasUnsafeCharacters(value)) {
			return { ok: false, message: "must not contain control characters" };
		}
		return { ok: true, value };
	};
}

const namePattern = /^[A-Za-z0-9_-]+$/;

/** Record names: what operators type on the command line and in go-to prompts. */
export function recordName(maxLength: number): FieldRule<string> {
	return (raw) => {
		const value = raw.trim();
		if (value === "") return { ok: false, message: "required" };
		if (characterCount(value) > maxLength || !namePattern.test(value)) {
			return {
				ok: false,
				message: `must be 1 to ${numberText(maxLength)} characters: letters A-Z, digits, "-" and "_" (got ${quoted(raw)})`,
			};
		}
		return { ok: true, value };
	};
}

/**
 * Checks each field of a draft with its rule and collects every problem, so a
 * form can show all of them at once next to their fields.
 */
export function validateFields<T extends Record<string, unknown>>(
	draft: Record<string, string | undefined>,
	rules: { [K in keyof T]: { label: string; rule: FieldRule<T[K]> } },
): Validated<T> {
	const problems: FieldProblem[] = [];
	const value: Partial<T> = {};
	for (const field of Object.keys(rules) as Array<keyof T & string>) {
		const { label, rule } = rules[field];
		const result = rule(draft[field] ?? "");
		if (result.ok) value[field] = result.value;
		else problems.push({ field, label, message: result.message });
	}
	return problems.length > 0
		? { ok: false, problems }
		: { ok: true, value: value as T };
}

export function sameName(a: string, b: string): boolean {
	return a.toLowerCase() === b.toLowerCase();
}

/** Free text that must be given, e.g. a user name or a server name. */
export function requiredText(maxLength: number): FieldRule<string> {
	const optional = optionalText(maxLength);
	return (raw) =>
		raw.trim() === "" ? { ok: false, message: "required" } : optional(raw);
}

/**
 * An absolute folder path, normalised. Relative paths and ".." segments are
 * refused: a working folder must say plainly which folder it is.
 */
export function absolutePath(): FieldRule<string> {
	return (raw) => {
		const value = raw.trim();
		if (value === "") return { ok: false, message: "required" };
		if (hasUnsafeCharacters(value)) {
			return { ok: false, message: "must not contain control characters" };
		}
		if (!value.startsWith("/")) {
			return {
				ok: false,
				message: `must be an absolute path starting with "/" (got ${quoted(raw)})`,
			};
		}
		if (value.split("/").includes("..")) {
			return {
				ok: false,
				message: `must not contain ".." (got ${quoted(raw)})`,
			};
		}
		if (characterCount(value) > 4096) {
			return { ok: false, message: "must be at most 4096 characters" };
		}
		const normalised = `/${value
			.split("/")
			.filter((part) => part !== "" && part !== ".")
			.join("/")}`;
		// Packages would land among the system's own folders.
		if (normalised === "/")
			return {
				ok: false,
				message: `must be a folder of its own, not the root "/" (got ${quoted(raw)})`,
			};
		return { ok: true, value: normalised };
	};
}

/** One of a fixed list, matched ignoring case, stored as the list spells it. */
export function oneOf<T extends string>(options: readonly T[]): FieldRule<T> {
	return (raw) => {
		const match = options.find((option) => sameName(option, raw.trim()));
		if (match) return { ok: true, value: match };
		return {
			ok: false,
			message:
				raw.trim() === ""
					? `required: one of ${options.join(", ")}`
					: `must be one of ${options.join(", ")} (got ${quoted(raw)})`,
		};
	};
}

/** A link to another record, given by its name; the value is the record's id. */
export function linkTo(
	records: readonly { id: string; name: string }[],
	noun: string,
): FieldRule<string> {
	return (raw) => {
		const name = raw.trim();
		if (name === "")
			return {
				ok: false,
				message: `required: the name of an existing ${noun}`,
			};
		const record = records.find((candidate) => sameName(candidate.name, name));
		if (record) return { ok: true, value: record.id };
		return {
			ok: false,
			message:
				records.length === 0
					? `no ${noun} exists yet; create one first (got ${quoted(raw)})`
					: `no ${noun} is called ${quoted(raw)}`,
		};
	};
}

/** Comma-separated IDs (letters, digits, "-", "_"), each at most `maxLength`, no repeats. */
export function idList(maxLength: number): FieldRule<string[]> {
	const single = recordName(maxLength);
	return (raw) => {
		const parts = raw
			.split(",")
			.map((part) => part.trim())
			.filter((part) => part !== "");
		const ids: string[] = [];
		for (const part of parts) {
			const checked = single(part);
			if (!checked.ok) return checked;
			if (ids.some((id) => sameName(id, checked.value))) {
				return { ok: false, message: `lists ${quoted(part)} twice` };
			}
			ids.push(checked.value);
		}
		return { ok: true, value: ids };
	};
}

/**
 * The problem when another record already has this name (compared ignoring
 * case, or exactly when `caseSensitive`), or null.
 */
export function nameTaken(
	records: readonly { id: string; name: string }[],
	typed: string | undefined,
	selfId: string | undefined,
	field: {
		field: string;
		label: string;
		noun: string;
		caseSensitive?: boolean;
	},
): FieldProblem | null {
	const wanted = typed?.trim() ?? "";
	if (wanted === "") return null;
	const taken = records.find(
		(record) =>
			record.id !== selfId &&
			(field.caseSensitive
				? record.name === wanted
				: sameName(record.name, wanted)),
	);
	if (!taken) return null;
	return {
		field: field.field,
		label: field.label,
		message: field.caseSensitive
			? `another ${field.noun} already uses ${quoted(taken.name)}`
			: `another ${field.noun} is already called ${quoted(taken.name)} (names are compared ignoring case)`,
	};
}

/** Adds problems found beyond the field rules (uniqueness) to a result. */
export function withProblems<T>(
	result: Validated<T>,
	extra: (FieldProblem | null)[],
): Validated<T> {
	const found = extra.filter((problem) => problem !== null);
	if (found.length === 0) return result;
	return {
		ok: false,
		problems: [...found, ...(result.ok ? [] : result.problems)],
	};
}
