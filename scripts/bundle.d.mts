/** Bundles `entryPoint` into the one file `outfile`, as dist/cdx.js is built. */
export function bundle(
	entryPoint: string,
	outfile: string,
	options?: {
		external?: string[];
		placeSwap?: (path: string) => { path: string; external?: boolean };
	},
): Promise<void>;

/** The banner that gives a bundle's CommonJS a `require`. */
export const requireBanner: string;
