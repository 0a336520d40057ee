// Modules Ink imports that cdx hands its own instead (source/tui/terminal/README.md):
// the bundle (scripts/bundle.mjs), the tests' bundled Ink (scripts/build-tests.mjs)
// and the benchmarks that run the sources (bench/lib/ink-swap-hooks.mjs) make
// the same swaps. Tests run under tsx (`npx ava FILE`) get Ink's own: module
// hooks in every test process would cost more than they save.
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const terminalFile = (name) =>
	fileURLToPath(new URL(`../source/tui/terminal/${name}`, import.meta.url));

const textWidthFile = terminalFile("text-width.ts");
const frameOutputFile = terminalFile("frame-output.ts");
const inkRenderer = join("node_modules", "ink", "build", "renderer.js");

/** The file an import of `specifier` from the file `importer` gets instead, or undefined. */
export function swappedImport(specifier, importer = "") {
	// Ink and its helpers measure text with text-width.ts (which itself uses string-width).
	if (
		specifier === "string-width" &&
		importer.includes(`${sep}node_modules${sep}`)
	)
		return textWidthFile;
	// Ink's renderer builds only the rows of a frame that changed.
	if (specifier === "./output.js" && importer.endsWith(inkRenderer))
		return frameOutputFile;
	return undefined;
}
