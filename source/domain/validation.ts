import { characterCount, hasUnsafeCharacters, quoted } from "./text.js";

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
				message: `must be at most ${maxLength} characters (got ${characterCount(value)})`,
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
				message: `must be 1 to ${maxLength} characters: letters A-Z, digits, "-" and "_" (got ${quoted(raw)})`,
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
