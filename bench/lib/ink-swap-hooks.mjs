// Module hooks: Ink's imports get cdx's own modules (scripts/ink-swaps.mjs), as in the bundle.
import { fileURLToPath, pathToFileURL } from "node:url";
import { swappedImport } from "../../scripts/ink-swaps.mjs";

export async function resolve(specifier, context, nextResolve) {
	const importer = context.parentURL?.startsWith("file:")
		? fileURLToPath(context.parentURL)
		: undefined;
	const swapped = swappedImport(specifier, importer);
	// tsx, next in the chain, compiles the TypeScript resolved here.
	return nextResolve(
		swapped === undefined ? specifier : pathToFileURL(swapped).href,
		context,
	);
}
