// Compiles source/ and test/ file by file (no bundle) into dist/tests/, for
// `npm test`: each AVA worker then loads plain JavaScript instead of running
// tsx's loader, which cost about 0.8 s of CPU per test file. Source maps
// point back at the .ts files, so stack traces show them.
//
// dist/tests/ mirrors the checkout, so that a path relative to a test file
// means the same there: beside each compiled .js is a link to its .ts (for a
// helper a test runs or bundles), every other file of source/ and test/ is a
// link, and so is everything else at the top (scripts/, node_modules/, dist/,
// package.json, which also makes Node load the .js files as ES modules).
import { mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

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
	if (![...compiled, "dist", ".git"].includes(entry))
		linkFromMirror(join(root, entry));
linkFromMirror(join(root, "dist", "cdx.js"));
