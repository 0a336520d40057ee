import { join } from "node:path";
import { build } from "esbuild";
import { tempFolder } from "./fixtures.js";
import { projectRoot } from "./paths.js";

/**
 * Bundles bench/hello-world.tsx the way `npm run build` bundles cdx
 * (production React, minified, one ESM file) into a temporary folder, and
 * returns the file.
 */
export async function buildHelloWorld(): Promise<string> {
	const outfile = join(await tempFolder("hello"), "hello.js");
	await build({
		entryPoints: [join(projectRoot, "bench", "hello-world.tsx")],
		bundle: true,
		platform: "node",
		format: "esm",
		target: "node20",
		minify: true,
		outfile,
		define: { "process.env.NODE_ENV": '"production"' },
		external: ["./devtools.js"],
		banner: {
			js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);',
		},
		logLevel: "warning",
	});
	return outfile;
}
