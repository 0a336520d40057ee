// AVA's command line, its test processes started from the one-file worker
// scripts/build-tests.mjs bundles (dist/tests/ava/worker.js) instead of the
// package's own: `npm test` runs it as it would run `ava`. AVA has no option
// for this, only fork.js's hook for its own tests; if an AVA upgrade drops
// the hook this stops with the reason, and scripts/test.mjs can run plain
// `ava` again (the suite is the same, only slower to start each file).

import runAva from "../node_modules/ava/lib/cli.js";
import * as fork from "../node_modules/ava/lib/fork.js";

if (typeof fork._testOnlyReplaceWorkerPath !== "function") {
	console.error(
		"scripts/ava.mjs: this AVA has no _testOnlyReplaceWorkerPath in lib/fork.js; run node_modules/.bin/ava instead (see the comment above)",
	);
	process.exit(1);
}
fork._testOnlyReplaceWorkerPath(
	new URL("../dist/tests/ava/worker.js", import.meta.url),
);
await runAva();
