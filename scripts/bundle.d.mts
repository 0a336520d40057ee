/** Bundles `entryPoint` into `outfile` (and, with `chunks`, that folder beside it), as dist/cdx.js is built. */
export function bundle(
	entryPoint: string,
	outfile: string,
	options?: {
		external?: string[];
		placeSwap?: (path: string) => { path: string; external?: boolean };
		chunks?: string;
	},
): Promise<void>;

/** The banner that gives a bundle's CommonJS a `require`. */
export const requireBanner: string;
