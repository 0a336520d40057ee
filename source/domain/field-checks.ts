/*
 * Shape checks for files other processes write (state files, session logs):
 * each names the field that is missing or of the wrong type.
 */

export type Check = (value: unknown) => boolean;

export const isText: Check = (value) => typeof value === "string";
export const isTextOrNull: Check = (value) => value === null || isText(value);
export const isDate: Check = (value) =>
	typeof value === "string" && !Number.isNaN(Date.parse(value));
export const isDateOrNull: Check = (value) => value === null || isDate(value);
export const isCount: Check = (value) =>
	Number.isSafeInteger(value) && (value as number) >= 0;

export function fieldProblem(
	record: Record<string, unknown>,
	checks: Record<string, Check>,
	where: string,
): string | null {
	for (const [field, check] of Object.entries(checks)) {
		if (!check(record[field]))
			return `${where}${field}: missing or of the wrong type`;
	}
	return null;
}

/** A field newer writers add: absent is fine, present must be right. */
export const optional =
	(check: Check): Check =>
	(value) =>
		value === undefined || check(value);
