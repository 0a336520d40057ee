/** A JSON object: not null, not a list. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * JSON.parse that says why instead of throwing: "not valid JSON (<the
 * parser's reason>)". A byte order mark, which some Windows editors put
 * first, gets its own reason: the parser would only say "Unexpected token".
 */
export function parseJson(
	text: string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
	if (text.startsWith("\uFEFF"))
		return {
			ok: false,
			problem: "starts with a byte order mark: save it as UTF-8 without BOM",
		};
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return {
			ok: false,
			problem: `not valid JSON (${(error as Error).message})`,
		};
	}
}
