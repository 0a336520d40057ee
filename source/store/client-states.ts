import { type FSWatcher, watch } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { parseClientState } from "../domain/client-state.js";
import type { ObservedClient } from "../domain/live-status.js";

const stateFileName = /^(.+)\.json$/;

function processGone(pid: number, host: string): boolean {
	if (host !== hostname()) return false;
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "ESRCH";
	}
}

type Cached = { stamp: string; observed: ObservedClient };

/**
 * Follows the Async Clients' state files in one state folder for the live
 * panel. The folder is watched, and also polled, because network shares do
 * not always report changes. A file caught mid-write or damaged keeps the
 * last good state and says why; it never throws.
 */
export class ClientStateWatcher {
	private snapshot: ReadonlyMap<string, ObservedClient> = new Map();
	private readonly cache = new Map<string, Cached>();
	private readonly listeners = new Set<() => void>();
	private refreshing: Promise<void> | null = null;

	constructor(
		readonly folder: string,
		private readonly pollMs = 2000,
	) {}

	getSnapshot = (): ReadonlyMap<string, ObservedClient> => this.snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/** Starts following the folder; the returned function stops it. */
	start(): () => void {
		let watcher: FSWatcher | undefined;
		let timer: NodeJS.Timeout | undefined;
		const soon = () => {
			clearTimeout(timer);
			timer = setTimeout(() => void this.refresh(), 20);
		};
		const follow = () => {
			if (watcher) return;
			try {
				watcher = watch(this.folder, soon);
				watcher.on("error", () => {
					watcher?.close();
					watcher = undefined;
				});
			} catch {
				// Not there yet (no client ever ran) or not watchable: polling covers it.
			}
		};
		follow();
		const poll = setInterval(() => {
			follow();
			void this.refresh();
		}, this.pollMs);
		void this.refresh();
		return () => {
			clearInterval(poll);
			clearTimeout(timer);
			watcher?.close();
		};
	}

	/** Reads the state files that changed since the last look. */
	refresh(): Promise<void> {
		this.refreshing ??= this.readChanged().finally(() => {
			this.refreshing = null;
		});
		return this.refreshing;
	}

	private async readChanged(): Promise<void> {
		let names: string[];
		try {
			names = await readdir(this.folder);
		} catch {
			names = [];
		}
		let changed = false;
		const seen = new Set<string>();
		for (const name of names) {
			const channelDatabase = stateFileName.exec(name)?.[1];
			if (channelDatabase === undefined) continue;
			seen.add(channelDatabase);
			const next = await this.observe(
				join(this.folder, name),
				this.cache.get(channelDatabase),
			);
			if (next !== this.cache.get(channelDatabase)) {
				this.cache.set(channelDatabase, next);
				changed = true;
			}
		}
		for (const channelDatabase of [...this.cache.keys()]) {
			if (seen.has(channelDatabase)) continue;
			this.cache.delete(channelDatabase);
			changed = true;
		}
		if (!changed) return;
		this.snapshot = new Map(
			[...this.cache].map(([name, cached]) => [name, cached.observed]),
		);
		for (const listener of this.listeners) listener();
	}

	private async observe(
		path: string,
		before: Cached | undefined,
	): Promise<Cached> {
		try {
			const info = await stat(path);
			const stamp = `${info.mtimeMs}:${info.size}`;
			const state = before?.observed.state ?? null;
			// The pid is checked on every look: a killed client writes nothing more.
			const gone = state ? processGone(state.pid, state.host) : false;
			if (
				before &&
				before.stamp === stamp &&
				before.observed.processGone === gone
			)
				return before;
			if (before && before.stamp === stamp)
				return { stamp, observed: { ...before.observed, processGone: gone } };
			const parsed = parseClientState(await readFile(path, "utf8"));
			if (parsed.ok) {
				return {
					stamp,
					observed: {
						state: parsed.state,
						problem: null,
						processGone: processGone(parsed.state.pid, parsed.state.host),
					},
				};
			}
			return {
				stamp,
				observed: {
					state,
					problem: `state file unreadable (${parsed.problem})`,
					processGone: gone,
				},
			};
		} catch (error) {
			const state = before?.observed.state ?? null;
			return {
				stamp: "",
				observed: {
					state,
					problem: `state file unreadable (${(error as Error).message})`,
					processGone: false,
				},
			};
		}
	}
}
