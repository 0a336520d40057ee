// `npm test`: everything a change needs. Slow tests (soak, kills, large
// files, tmux end to end) are named *.slow.test.ts or live in test/e2e/, and
// run with `npm run test:slow` (ava.slow.config.js). `npx ava FILE` runs the
// TypeScript under tsx; `npm test` runs the same files compiled once
// (ava.built.config.js).
import { accessSync, constants, statfsSync } from "node:fs";
import { availableParallelism } from "node:os";

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

/*
 * The fast suite's scratch folders (TMPDIR, unless it is set) in memory where
 * the machine has room there. On this project's build machines /tmp is an
 * ext4 without a journal, where each new file or folder first scans past the
 * inodes deleted in the last seconds, and the suite makes and removes tens of
 * thousands: the kernel's inode allocator took ~9 % of the suite's CPU, and
 * the file-heavy tests ran a quarter faster in memory. The slow suite keeps
 * the machine's TMPDIR, so CI runs the same tests on a disk too.
 */
const TMPFS_MAGIC = 0x01021994;
const memory = "/dev/shm";
function memoryScratch() {
	if (process.env.TMPDIR) return {};
	try {
		const { type, bavail, bsize } = statfsSync(memory);
		accessSync(memory, constants.W_OK | constants.X_OK);
		return type === TMPFS_MAGIC && bavail * bsize >= 2 ** 30
			? { TMPDIR: memory }
			: {};
	} catch {
		return {};
	}
}

/*
 * Two test files per core, not AVA's one: a file waiting on its clients,
 * commands or PostgreSQL left its core idle. Alternating on this 2-core
 * machine, eight pairs: 70-75 s (mean 72.3) with two files at a time, 61-78 s
 * (mean 68.2) with four, the least gained when the machine is slowest. The
 * slow suite keeps one per core: its kill and soak tests want the machine as
 * the operators' is.
 */
export const fastSuiteConcurrency = 2 * availableParallelism();

export const fastSuiteEnvironment = {
	...shared.environmentVariables,
	...memoryScratch(),
};

export default {
	...shared,
	files: fastSuite,
	concurrency: fastSuiteConcurrency,
	environmentVariables: fastSuiteEnvironment,
};
