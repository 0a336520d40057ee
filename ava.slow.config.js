import { shared } from "./ava.config.js";

// `npm run test:slow`: what ava.config.js leaves out.
export default {
	...shared,
	files: [
		"test/e2e/**/*.test.ts",
		"test/e2e/**/*.test.tsx",
		"test/**/*.slow.test.*",
	],
};
