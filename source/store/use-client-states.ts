import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { SessionHistory } from "../domain/client-state.js";
import type { ObservedClient } from "../domain/live-status.js";
import { watchClientStates } from "./client-states.js";
import { watchSessionLogs } from "./sessions.js";
import type { WatchedFolder } from "./watched-folder.js";

/** Follows a watched folder while the component is mounted. */
function useWatchedFolder<T>(
	watcher: WatchedFolder<T>,
): ReadonlyMap<string, T> {
	useEffect(() => watcher.start(), [watcher]);
	return useSyncExternalStore(watcher.subscribe, watcher.getSnapshot);
}

/** The Async Clients' state files in `folder`, re-rendered as they change. */
export function useClientStates(
	folder: string,
): ReadonlyMap<string, ObservedClient> {
	return useWatchedFolder(useMemo(() => watchClientStates(folder), [folder]));
}

/** Every client's session log in `folder`, re-rendered as they grow. */
export function useSessionLogs(
	folder: string,
): ReadonlyMap<string, SessionHistory> {
	return useWatchedFolder(useMemo(() => watchSessionLogs(folder), [folder]));
}
