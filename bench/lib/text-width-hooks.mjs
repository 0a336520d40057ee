// Module hooks: string-width imports get source/tui/terminal/text-width.ts, as in the bundle.
import { fileURLToPath, pathToFileURL } from "node:url";
import {
	measuresWithTextWidth,
	textWidthFile,
} from "../../scripts/text-width.mjs";

export async function resolve(specifier, context, nextResolve) {
	const importer = context.parentURL?.startsWith("file:")
		? fileURLToPath(context.parentURL)
		: undefined;
	// tsx, next in the chain, compiles the TypeScript it resolves.
	return nextResolve(
		measuresWithTextWidth(specifier, importer)
			? pathToFileURL(textWidthFile).href
			: specifier,
		context,
	);
}
