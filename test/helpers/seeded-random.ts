import type { ExecutionContext } from "ava";

/** mulberry32: a small seeded generator, so a random run can be repeated. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = Math.imul(state ^ (state >>> 15), 1 | state);
		value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A random number generator for a test's kill points: seeded from
 * $CDX_KILL_SEED when set, else from the clock. The seed is logged, and ava
 * prints a failed test's log, so a failure can be replayed with
 * `CDX_KILL_SEED=<seed> npx ava <file> --match '<title>'`.
 */
export function seededRandom(t: ExecutionContext): () => number {
	const seed = Number(process.env.CDX_KILL_SEED ?? Date.now() % 1_000_000);
	t.log(`seed ${seed} (replay with CDX_KILL_SEED=${seed})`);
	return mulberry32(seed);
}
