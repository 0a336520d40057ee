import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The bundled `cdx` bin, as operators run it (`npm run bench` builds it
 * first). CDX_BENCH_BIN points the bench at another build, to compare two.
 */
export const cdxBin = process.env.CDX_BENCH_BIN
	? resolve(process.env.CDX_BENCH_BIN)
	: fileURLToPath(new URL("../../dist/cdx.js", import.meta.url));
