import { useEffect, useSyncExternalStore } from "react";
import type {
	ConfigurationStore,
	StoreSnapshot,
} from "../../store/configuration-store.js";

/** The configuration as the TUI shows it, re-rendered when the store changes. */
export function useConfiguration(store: ConfigurationStore): StoreSnapshot {
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Follows db.json on disk for as long as the component is mounted. */
export function useWatchedDatabase(store: ConfigurationStore): void {
	useEffect(() => store.watch(), [store]);
}
