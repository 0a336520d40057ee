// `npm test`: everything a change needs. Slow tests (soak, kills, large
// files, tmux end to end) are named *.slow.test.ts or live in test/e2e/, and
// run with `npm run test:slow` (ava.slow.config.js). `npx ava FILE` runs the
// TypeScript under tsx; `npm test` runs the same files compiled once
// (ava.built.config.js).
export const shared = {
	extensions: { ts: "module", tsx: "module" },
	// test/helpers/as-bundle.mjs (plain JavaScript, so the in-process cdx thread,
	// which inherits these arguments but not tsx's hooks, loads it too): React
	// and Ink run as in dist/cdx.js.
	nodeArguments: ["--import=tsx", "--import=./test/helpers/as-bundle.mjs"],
	workerThreads: false,
	// Only turns a hang into a failure: AVA's timeout is the time without any
	// result, and a test blocked in one in-process command (runCdx, up to
	// 120 s) sends none meanwhile.
	timeout: "180s",
	// Set (as on this project's build machines) it makes every Node process
	// read and parse that certificate bundle before it runs a line, 0.1 s of
	// CPU each, and the suite starts some 300 of them (test files, clients,
	// commands); no test reaches a TLS server that needs it.
	environmentVariables: { NODE_EXTRA_CA_CERTS: "" },
};

export const fastSuite = [
	"test/**/*.test.ts",
	"test/**/*.test.tsx",
	"!test/e2e/**",
	"!test/**/*.slow.test.*",
];

export default { ...shared, files: fastSuite };
