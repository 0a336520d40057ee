// How cdx is bundled, shared by the build (scripts/build.mjs), the test
// that checks Ink's frames through the bundled code (test/tui/ink-contract)
// and the tests' own Ink (scripts/build-tests.mjs).
import { basename, dirname } from "node:path";
import { build } from "esbuild";
import { swappedImport } from "./ink-swaps.mjs";

/** Some bundled CommonJS calls require for Node's own modules. */
export const requireBanner =
	'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** Ink's imports that cdx swaps, each resolved to what `place` makes of the swapped file. */
const inkSwapsPlugin = (place) => ({
	name: "ink-swaps",
	setup(builder) {
		builder.onResolve({ filter: /^(string-width|\.\/output\.js)$/ }, (args) => {
			const path = swappedImport(args.path, args.importer);
			return path === undefined ? undefined : place(path);
		});
	},
});

/**
 * Bundles `entryPoint` into `outfile`, as dist/cdx.js is built. `external`
 * packages stay imports; `placeSwap` says where a swapped file comes from (by
 * default it is bundled in). With `chunks`, what only a dynamic import needs
 * goes into files in that folder beside `outfile`, loaded when imported.
 */
export async function bundle(
	entryPoint,
	outfile,
	{ external = [], placeSwap = (path) => ({ path }), chunks } = {},
) {
	const output =
		chunks === undefined
			? { outfile }
			: {
					splitting: true,
					outdir: dirname(outfile),
					entryNames: basename(outfile, ".js"),
					chunkNames: `${chunks}/[name]-[hash]`,
				};
	await build({
		entryPoints: [entryPoint],
		bundle: true,
		platform: "node",
		format: "esm",
		target: "node20",
		minify: process.env.CDX_UNMINIFIED !== "1",
		...output,
		define: {
			"process.env.NODE_ENV": '"production"',
			// The layout engine's WebAssembly loads without fetch, which would pull in all of undici.
			fetch: "undefined",
		},
		// Ink's React devtools, only ever loaded with DEV=true.
		external: ["./devtools.js", ...external],
		banner: { js: requireBanner },
		plugins: [inkSwapsPlugin(placeSwap)],
		logLevel: "warning",
	});
}
