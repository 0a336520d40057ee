import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { ObservedClient } from "../domain/live-status.js";
import { watchClientStates } from "./client-states.js";

/** The Async Clients' state files in `folder`, re-rendered as they change. */
export function useClientStates(
	folder: string,
): ReadonlyMap<string, ObservedClient> {
	const watcher = useMemo(() => watchClientStates(folder), [folder]);
	useEffect(() => watcher.start(), [watcher]);
	return useSyncExternalStore(watcher.subscribe, watcher.getSnapshot);
}
