/** A JSON object: not null, not a list. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON.parse that says why instead of throwing: "not valid JSON (<the parser's reason>)". */
export function parseJson(
	text: string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return {
			ok: false,
			problem: `not valid JSON (${(error as Error).message})`,
		};
	}
}
