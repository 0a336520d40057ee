// Ink and its helpers measure text with source/tui/terminal/text-width.ts, which
// itself uses string-width: the bundle (scripts/bundle.mjs) and the benchmarks
// that run the sources (bench/lib/text-width-hooks.mjs) make the same swap.
import { fileURLToPath } from "node:url";

export const textWidthFile = fileURLToPath(
	new URL("../source/tui/terminal/text-width.ts", import.meta.url),
);

/** True when an import of `specifier` from the file `importer` should get text-width.ts. */
export function measuresWithTextWidth(specifier, importer) {
	return specifier === "string-width" && importer !== textWidthFile;
}
