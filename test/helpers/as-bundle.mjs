/*
 * Loaded before every test file (ava.config.js, ava.built.config.js): the
 * libraries run as they do in dist/cdx.js, whose build (scripts/build.mjs)
 * sets both of these. Left to AVA's defaults, each test process would run
 * React's development build (about a third more CPU in the TUI tests) and
 * load Node's fetch, all of undici, for the layout engine under Ink to read
 * its WebAssembly through it (a path the bin never takes).
 */
process.env.NODE_ENV = "production";
// Replaced without reading it: reading Node's lazy global fetch loads undici.
Object.defineProperty(globalThis, "fetch", {
	value: undefined,
	writable: true,
	configurable: true,
});
