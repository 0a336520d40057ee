import {
	fastSuite,
	fastSuiteConcurrency,
	fastSuiteEnvironment,
	shared,
} from "./ava.config.js";

// `npm test` (scripts/test.mjs): the files of ava.config.js as
// scripts/build-tests.mjs compiled them into dist/tests/, run without tsx;
// stack traces point at the .ts files through the source maps.
// test/helpers/compiled.ts tells a helper which of the two runs it is in.
export default {
	files: [
		...new Set(
			fastSuite.map((pattern) =>
				pattern.replace("test/", "dist/tests/test/").replace(/\.tsx?$/, ".js"),
			),
		),
	],
	nodeArguments: [
		"--enable-source-maps",
		"--import=./test/helpers/as-bundle.mjs",
	],
	workerThreads: shared.workerThreads,
	timeout: shared.timeout,
	concurrency: fastSuiteConcurrency,
	environmentVariables: fastSuiteEnvironment,
};
