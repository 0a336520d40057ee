import {
	useEffect,
	useMemo,
	useReducer,
	useRef,
	useSyncExternalStore,
} from "react";
import type { ObservedClient } from "../../domain/live-status.js";
import type { SessionHistory } from "../../domain/session-events.js";
import {
	watchClientStates,
	watchSessionLogs,
} from "../../store/client-states.js";
import type { WatchedFolder } from "../../store/watched-folder.js";

/** Follows a watched folder while the component is mounted. */
function useWatchedFolder<T>(
	watcher: WatchedFolder<T>,
): ReadonlyMap<string, T> {
	useEffect(() => watcher.start(), [watcher]);
	return useSyncExternalStore(watcher.subscribe, watcher.getSnapshot);
}

/**
 * The Async Clients' state files in `folder`, re-rendered as they change;
 * with `shown`, only when a change changes what it returns. A running
 * client rewrites its file every 2 s for its heartbeat alone: a screen that
 * renders every second anyway can read those at its next render instead.
 */
export function useClientStates(
	folder: string,
	shown?: (observed: ReadonlyMap<string, ObservedClient>) => string,
): ReadonlyMap<string, ObservedClient> {
	const watcher = useMemo(() => watchClientStates(folder), [folder]);
	useEffect(() => watcher.start(), [watcher]);
	const [, rerender] = useReducer((renders: number) => renders + 1, 0);
	const latestShown = useRef(shown);
	latestShown.current = shown;
	const shownBefore = useRef<string | null>(null);
	useEffect(
		() =>
			watcher.subscribe(() => {
				const view = latestShown.current?.(watcher.getSnapshot()) ?? null;
				if (view === null || view !== shownBefore.current) rerender();
			}),
		[watcher],
	);
	const observed = watcher.getSnapshot();
	shownBefore.current = shown?.(observed) ?? null;
	return observed;
}

/** Every client's session log in `folder`, re-rendered as they grow. */
export function useSessionLogs(
	folder: string,
): ReadonlyMap<string, SessionHistory> {
	return useWatchedFolder(useMemo(() => watchSessionLogs(folder), [folder]));
}
