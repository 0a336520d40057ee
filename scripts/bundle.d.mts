/** Bundles `entryPoint` into the one file `outfile`, as dist/cdx.js is built. */
export function bundle(entryPoint: string, outfile: string): Promise<void>;
