// Bundles the command line into dist/cdx.js: it starts in a fraction of the
// time node takes to resolve and load node_modules. What only the
// full-screen app needs (Ink, React, the layout engine: over half of the
// code) is in dist/chunks/, which the commands scripts run, `cdx client`
// first, never read nor compile.
import { chmod, rm } from "node:fs/promises";
import { bundle } from "./bundle.mjs";

const outfile = new URL("../dist/cdx.js", import.meta.url).pathname;
// Chunks are named by their content: those of an earlier build would pile up.
await rm(new URL("../dist/chunks", import.meta.url), {
	recursive: true,
	force: true,
});
await bundle(new URL("../source/cli.tsx", import.meta.url).pathname, outfile, {
	chunks: "chunks",
});
await chmod(outfile, 0o755);
