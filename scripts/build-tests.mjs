// Compiles source/ and test/ file by file (no bundle) into dist/tests/, for
// `npm test`: each AVA worker then loads plain JavaScript instead of running
// tsx's loader, which cost about 0.8 s of CPU per test file. Source maps
// point back at the .ts files, so stack traces show them.
//
// dist/tests/ mirrors the checkout, so that a path relative to a test file
// means the same there: beside each compiled .js is a link to its .ts (for a
// helper a test runs or bundles), every other file of source/ and test/ is a
// link, and so is everything else at the top (scripts/, dist/, package.json,
// which also makes Node load the .js files as ES modules) and every package
// in node_modules/ but Ink and ink-testing-library: those two are bundled as
// dist/cdx.js bundles Ink (scripts/bundle.mjs), with cdx's swaps and one
// file to load instead of Ink's hundreds (a third of a second of CPU in each
// test process that draws), React, its scheduler, chalk and the swapped-in
// modules left shared with the tests. AVA's worker, the program each test
// process runs, is bundled too (dist/tests/ava/worker.js, see scripts/ava.mjs).
import {
	mkdirSync,
	readdirSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundle, requireBanner } from "./bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const mirror = join(root, "dist", "tests");
const compiled = ["source", "test"];

function filesUnder(folder) {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		return entry.isDirectory() ? filesUnder(path) : [path];
	});
}

/** Links `path` (in the checkout) from the same place under dist/tests/. */
function linkFromMirror(path) {
	const link = join(mirror, relative(root, path));
	mkdirSync(dirname(link), { recursive: true });
	symlinkSync(relative(dirname(link), path), link);
}

// A file renamed or deleted since the last build must not run as a stale test.
rmSync(mirror, { recursive: true, force: true });
const files = compiled.flatMap((folder) => filesUnder(join(root, folder)));
await build({
	entryPoints: files.filter((file) => /(?<!\.d)\.tsx?$/.test(file)),
	outbase: root,
	outdir: mirror,
	bundle: false,
	platform: "node",
	format: "esm",
	// Keeps `with { type: "json" }`, which Node needs for JSON imports.
	target: "node20.19",
	// tsconfig.json's "jsx": "react-jsx", as tsx compiles it.
	jsx: "automatic",
	sourcemap: "linked",
	sourcesContent: false,
	logLevel: "warning",
});
for (const file of files) linkFromMirror(file);
for (const entry of readdirSync(root))
	if (![...compiled, "dist", "node_modules", ".git"].includes(entry))
		linkFromMirror(join(root, entry));

const packages = join(root, "node_modules");
const bundled = ["ink", "ink-testing-library"];
for (const entry of readdirSync(packages))
	if (!bundled.includes(entry)) linkFromMirror(join(packages, entry));

/** Bundles the package `name` into dist/tests/node_modules/`name`/index.js, `external` left as imports. */
async function bundlePackage(name, external) {
	const folder = join(mirror, "node_modules", name);
	const outfile = join(folder, "index.js");
	await bundle(join(packages, name, "build", "index.js"), outfile, {
		external,
		// The swapped-in file as the tests compiled it: one module, shared with them.
		placeSwap: (path) => ({
			path: `./${relative(folder, join(mirror, relative(root, path))).replace(/\.tsx?$/, ".js")}`,
			external: true,
		}),
	});
	writeFileSync(
		join(folder, "package.json"),
		`${JSON.stringify({ name, type: "module", exports: "./index.js" })}\n`,
	);
}
// chalk too: the tests that check colours switch Ink's chalk on.
const shared = ["react", "react/*", "scheduler", "chalk"];
await bundlePackage("ink", shared);
await bundlePackage("ink-testing-library", [...shared, "ink"]);
// Ink's own modules, for the test that holds the frame builder to Ink's Output.
linkFromMirror(join(packages, "ink", "build"));
linkFromMirror(join(root, "dist", "cdx.js"));

// AVA's worker as one file, for scripts/ava.mjs: loading its ~350 modules
// one by one took about 0.3 s of CPU in each of the ~95 test processes. The
// worker's state modules stay imports of the real package, so the runner it
// makes is the one the tests' own `import test from "ava"` finds. The
// folder is named ava so that AVA's reports leave the bundle's frames out
// of stack traces, as they leave out the package's own.
const avaWorker = join(packages, "ava", "lib", "worker");
const avaWorkerState =
	/^\.\/(state\.cjs|options\.cjs|channel\.cjs|utils\.cjs|completion-handlers\.js)$/;
await build({
	entryPoints: [join(avaWorker, "base.js")],
	outfile: join(mirror, "ava", "worker.js"),
	bundle: true,
	platform: "node",
	format: "esm",
	target: "node20.19",
	banner: { js: requireBanner },
	plugins: [
		{
			name: "ava-worker-state",
			setup(builder) {
				builder.onResolve({ filter: avaWorkerState }, (args) =>
					args.resolveDir === avaWorker
						? { path: join(avaWorker, args.path), external: true }
						: undefined,
				);
			},
		},
	],
	logLevel: "warning",
});
