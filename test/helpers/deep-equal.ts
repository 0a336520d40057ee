import { isDeepStrictEqual } from "node:util";
import type { ExecutionContext } from "ava";

/**
 * t.deepEqual for plain data compared many times in one test: Node's
 * comparison decides, and AVA's (which describes both values in full, most
 * of the CPU of a test comparing 300-row tables hundreds of times) runs only
 * on a difference, to print its diff.
 */
export function deepEqualOften<T>(
	t: ExecutionContext,
	actual: T,
	expected: T,
	message?: string,
): void {
	if (isDeepStrictEqual(actual, expected)) t.pass(message);
	else t.deepEqual(actual, expected, message);
}
