// Compiles source/ and test/ file by file (no bundle) into dist/tests/, for
// `npm test`: each AVA worker then loads plain JavaScript instead of running
// tsx's loader, which cost about 0.8 s of CPU per test file. Source maps
// point back at the .ts files, so stack traces and AVA's excerpts show them.
import { copyFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const testsBuildFolder = join(root, "dist", "tests");

function typeScriptFiles(folder) {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return typeScriptFiles(path);
		return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")
			? [path]
			: [];
	});
}

// A file renamed or deleted since the last build must not run as a stale test.
rmSync(testsBuildFolder, { recursive: true, force: true });
await build({
	entryPoints: ["source", "test"].flatMap((folder) =>
		typeScriptFiles(join(root, folder)),
	),
	outbase: root,
	outdir: testsBuildFolder,
	bundle: false,
	platform: "node",
	format: "esm",
	target: "node20.19",
	// tsconfig.json's "jsx": "react-jsx", as tsx compiles it.
	jsx: "automatic",
	sourcemap: "linked",
	sourcesContent: false,
	logLevel: "warning",
});
// What the compiled files import as "../../package.json" (the version), and
// what makes Node load them as ES modules.
copyFileSync(
	join(root, "package.json"),
	join(testsBuildFolder, "package.json"),
);
