import { extname } from "node:path";
import { fileURLToPath } from "node:url";

/** ".ts" when the tests run from the source (tsx), ".js" when compiled. */
export const testsExtension = extname(fileURLToPath(import.meta.url));

/**
 * The checkout's folder. This file is test/helpers/project.ts from the
 * source (`npx ava FILE`), dist/tests/test/helpers/project.js compiled
 * (`npm test`, scripts/build-tests.mjs): a path relative to a test file does
 * not reach dist/cdx.js or scripts/ in both.
 */
export const projectRoot = fileURLToPath(
	new URL(
		testsExtension === ".ts" ? "../../" : "../../../../",
		import.meta.url,
	),
);
