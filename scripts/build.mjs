// Bundles the command line into one file, dist/cdx.js: it starts in a
// fraction of the time node takes to resolve and load node_modules.
import { chmod } from "node:fs/promises";
import { bundle } from "./bundle.mjs";

const outfile = new URL("../dist/cdx.js", import.meta.url).pathname;
await bundle(new URL("../source/cli.tsx", import.meta.url).pathname, outfile);
await chmod(outfile, 0o755);
