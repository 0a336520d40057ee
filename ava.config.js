// `npm test`: everything a change needs. Slow tests (soak, kills, large
// files, tmux end to end) are named *.slow.test.ts or live in test/e2e/, and
// run with `npm run test:slow` (ava.slow.config.js).
export const shared = {
	extensions: { ts: "module", tsx: "module" },
	nodeArguments: ["--import=tsx"],
	workerThreads: false,
	// Only turns a hang into a failure: AVA's timeout is the time without any result.
	timeout: "60s",
};

export default {
	...shared,
	files: [
		"test/**/*.test.ts",
		"test/**/*.test.tsx",
		"!test/e2e/**",
		"!test/**/*.slow.test.*",
	],
};
