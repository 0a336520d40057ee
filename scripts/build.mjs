// Bundles the command line into one file, dist/cdx.js: it starts in a
// fraction of the time node takes to resolve and load node_modules.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";
import { measuresWithTextWidth, textWidthFile } from "./text-width.mjs";

const fastTextWidth = {
	name: "text-width",
	setup(builder) {
		builder.onResolve({ filter: /^string-width$/ }, (args) =>
			measuresWithTextWidth(args.path, args.importer)
				? { path: textWidthFile }
				: undefined,
		);
	},
};

const outfile = new URL("../dist/cdx.js", import.meta.url).pathname;
await build({
	entryPoints: [new URL("../source/cli.tsx", import.meta.url).pathname],
	bundle: true,
	platform: "node",
	format: "esm",
	target: "node20",
	minify: process.env.CDX_UNMINIFIED !== "1",
	outfile,
	define: {
		"process.env.NODE_ENV": '"production"',
		// The layout engine's WebAssembly loads without fetch, which would pull in all of undici.
		fetch: "undefined",
	},
	// Ink's React devtools, only ever loaded with DEV=true.
	external: ["./devtools.js"],
	// Some bundled CommonJS calls require for Node's own modules.
	banner: {
		js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);',
	},
	plugins: [fastTextWidth],
	logLevel: "warning",
});
await chmod(outfile, 0o755);
