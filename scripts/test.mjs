// `npm test`: the type check and the lint, and beside them the two builds,
// dist/cdx.js (the CLI tests run the bin) and the tests' JavaScript
// (scripts/build-tests.mjs), then AVA on it, through scripts/ava.mjs (its
// worker bundled). Nothing waits on what it does not need. AVA's output
// streams; the others' is printed after it. Arguments go to AVA.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = (name) =>
	fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** Runs `command`; resolves to its exit code and, unless `inherit`, what it printed. */
function run(command, args, inherit = false) {
	const child = spawn(command, args, {
		stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"],
	});
	let output = "";
	child.stdout?.on("data", (chunk) => (output += chunk));
	child.stderr?.on("data", (chunk) => (output += chunk));
	return new Promise((resolve) => {
		child.on("error", (error) => resolve({ code: 1, output: `${error}\n` }));
		child.on("close", (code, signal) =>
			resolve({ code: code ?? (signal ? 1 : 0), output }),
		);
	});
}

const checks = [
	["type check", run(bin("tsc"), ["--noEmit"])],
	["lint", run("npm", ["run", "--silent", "lint"])],
];
await Promise.all([import("./build.mjs"), import("./build-tests.mjs")]);
const tests = await run(
	process.execPath,
	[
		fileURLToPath(new URL("ava.mjs", import.meta.url)),
		"--config",
		"ava.built.config.js",
		...process.argv.slice(2),
	],
	true,
);
let failed = tests.code !== 0;
for (const [name, running] of checks) {
	const { code, output } = await running;
	if (code === 0) continue;
	failed = true;
	process.stdout.write(`\n${name} failed (exit ${code}):\n${output}`);
}
process.exitCode = failed ? 1 : 0;
