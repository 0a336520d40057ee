import type { Clock } from "../../source/tui/clock.js";

/** A clock that moves only when the test says so; its tickers fire as time passes them. */
export function manualClock(
	start: string,
): Clock & { advance: (ms: number) => void } {
	let now = Date.parse(start);
	const tickers = new Set<{ ms: number; due: number; tick: () => void }>();
	return {
		now: () => new Date(now),
		every: (ms, tick) => {
			const ticker = { ms, due: now + ms, tick };
			tickers.add(ticker);
			return () => tickers.delete(ticker);
		},
		advance: (ms) => {
			now += ms;
			for (const ticker of tickers) {
				while (ticker.due <= now) {
					ticker.due += ticker.ms;
					ticker.tick();
				}
			}
		},
	};
}
