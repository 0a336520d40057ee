import { createContext, useContext, useEffect, useState } from "react";

/** Where the TUI reads the time and how it ticks; tests drive a manual clock. */
export type Clock = {
	now: () => Date;
	/** Calls `tick` every `ms`; the returned function stops it. */
	every: (ms: number, tick: () => void) => () => void;
};

export const systemClock: Clock = {
	now: () => new Date(),
	every: (ms, tick) => {
		const timer = setInterval(tick, ms);
		return () => clearInterval(timer);
	},
};

export const ClockContext = createContext<Clock>(systemClock);

export function useClock(): Clock {
	return useContext(ClockContext);
}

/** The time, re-read every `intervalMs` while the component is mounted. */
export function useNow(intervalMs = 1000): Date {
	const clock = useClock();
	const [now, setNow] = useState(() => clock.now());
	useEffect(
		() => clock.every(intervalMs, () => setNow(clock.now())),
		[clock, intervalMs],
	);
	return now;
}
