/*
 * Small pieces the schedule files share (schedule.ts and the files it is
 * made of: interval-grid, cron-runs, cron-expression, spread-offset).
 */

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

export function assertWholeMinutes(intervalMinutes: number): void {
	if (!Number.isSafeInteger(intervalMinutes) || intervalMinutes < 1) {
		throw new RangeError(
			`intervalMinutes must be a whole number of at least 1 (got ${intervalMinutes})`,
		);
	}
}

export function positiveModulo(value: number, divisor: number): number {
	return ((value % divisor) + divisor) % divisor;
}

/*
 * Parsing an expression, building a time zone formatter and reading a wall
 * clock through it cost more than the schedule math itself; the TUI asks for
 * thousands of stores, most of them sharing a few expressions, zones and
 * run times, every second. All are pure, so remember them.
 */
const REMEMBERED_LIMIT = 1000;
export function remember<Key, Value>(
	cache: Map<Key, Value>,
	key: Key,
	compute: (key: Key) => Value,
): Value {
	if (cache.has(key)) {
		return cache.get(key) as Value;
	}
	const value = compute(key);
	if (cache.size >= REMEMBERED_LIMIT) {
		cache.clear();
	}
	cache.set(key, value);
	return value;
}
