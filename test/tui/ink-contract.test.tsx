import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import test, { type ExecutionContext } from "ava";
import { bundle } from "../../scripts/bundle.mjs";
import { makeProfiles, makeTempDatabase } from "../helpers/database.js";
import type { ContractResult } from "../helpers/ink-contract.js";

// Ink draws only the last frame when it thinks it runs under CI (it reads
// the environment once, when it is loaded): as the tmux helper does for the
// bin, the app here runs without CI in its environment, Ink loaded after.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const { checkInkContract } = await import("../helpers/ink-contract.js");

const bundleFile = fileURLToPath(
	new URL(
		"../../node_modules/.cache/cdx-scheduler/ink-contract.js",
		import.meta.url,
	),
);

/**
 * The contract held: no frame differed, and every screen the test waited
 * for came from a checked frame (Ink throttles frames, so how many there are
 * depends on the machine's load; the awaited screens are what is sure).
 */
function holds(
	t: ExecutionContext,
	{ mismatches, frames, awaitedChecked, inkBytes, bytes }: ContractResult,
) {
	t.deepEqual(mismatches, []);
	t.is(Object.keys(awaitedChecked).length, 6, "screens waited for");
	t.deepEqual(
		Object.entries(awaitedChecked).filter(([, checked]) => !checked),
		[],
		"screens the terminal showed without a checked frame",
	);
	t.log(
		`${frames} frames checked; Ink wrote ${inkBytes} bytes, ${bytes} reached the terminal`,
	);
}

test("from the sources: every frame Ink writes of the real app is what the terminal behind the changed-cells writer shows", async (t) => {
	holds(t, await checkInkContract(await makeTempDatabase(makeProfiles(30))));
});

test("bundled as dist/cdx.js is (production React, text measured by text-width.ts, frames built by frame-output.ts): every frame Ink writes is what the terminal shows", async (t) => {
	await bundle(
		fileURLToPath(
			new URL("../helpers/ink-contract-bundle.tsx", import.meta.url),
		),
		bundleFile,
	);
	const path = await makeTempDatabase(makeProfiles(30));
	const { stdout } = await promisify(execFile)(
		process.execPath,
		[bundleFile, path],
		{ env: { ...process.env, NODE_ENV: "production" } },
	);
	holds(t, JSON.parse(stdout) as ContractResult);
});
