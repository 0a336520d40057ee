/**
 * True when the tests run as scripts/build-tests.mjs compiled them into
 * dist/tests/ (`npm test`), false when they run from the TypeScript under
 * tsx (`npx ava FILE`).
 */
export const compiled = import.meta.url.endsWith(".js");
