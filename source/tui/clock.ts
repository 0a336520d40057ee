import { createContext, useContext, useEffect, useState } from "react";

/** Where the TUI reads the time; tests give a fixed or hand-driven clock. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

export const ClockContext = createContext<Clock>(systemClock);

export function useClock(): Clock {
	return useContext(ClockContext);
}

/** The time, re-read every `intervalMs` while the component is mounted. */
export function useNow(intervalMs = 1000): Date {
	const clock = useClock();
	const [now, setNow] = useState(() => clock.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(clock.now()), intervalMs);
		return () => clearInterval(timer);
	}, [clock, intervalMs]);
	return now;
}
