import { type FSWatcher, watch } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** How a watched folder turns its files into values. */
export type FileReader<T> = {
	/** Files of interest; the first group is the key, e.g. the channel database. */
	pattern: RegExp;
	/** The value of a file's text; `before` is the last value, to keep what was good. */
	parse: (text: string, before: T | undefined) => T;
	/** The value when the file cannot be read at all. */
	unreadable: (message: string, before: T | undefined) => T;
	/** Re-checks a value whose file did not change (a pid that may have died); same object if unchanged. */
	recheck?: (value: T) => T;
};

type Cached<T> = { stamp: string; value: T };

/**
 * Follows the files of one folder that match a pattern, for the TUI: the
 * folder is watched, and also polled, because network shares do not always
 * report changes; only files whose size or time changed are read again.
 */
export class WatchedFolder<T> {
	private snapshot: ReadonlyMap<string, T> = new Map();
	private readonly cache = new Map<string, Cached<T>>();
	private readonly listeners = new Set<() => void>();
	private refreshing: Promise<void> | null = null;

	constructor(
		readonly folder: string,
		private readonly reader: FileReader<T>,
		private readonly pollMs = 2000,
	) {}

	getSnapshot = (): ReadonlyMap<string, T> => this.snapshot;

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

	/** Reads the files that changed since the last look. */
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
			const key = this.reader.pattern.exec(name)?.[1];
			if (key === undefined) continue;
			seen.add(key);
			const before = this.cache.get(key);
			const next = await this.look(join(this.folder, name), before);
			if (next !== before) {
				this.cache.set(key, next);
				changed = true;
			}
		}
		for (const key of [...this.cache.keys()]) {
			if (seen.has(key)) continue;
			this.cache.delete(key);
			changed = true;
		}
		if (!changed) return;
		this.snapshot = new Map(
			[...this.cache].map(([key, cached]) => [key, cached.value]),
		);
		for (const listener of this.listeners) listener();
	}

	private async look(
		path: string,
		before: Cached<T> | undefined,
	): Promise<Cached<T>> {
		try {
			const info = await stat(path);
			const stamp = `${info.mtimeMs}:${info.size}`;
			if (before?.stamp === stamp) {
				const value = this.reader.recheck?.(before.value) ?? before.value;
				return value === before.value ? before : { stamp, value };
			}
			return {
				stamp,
				value: this.reader.parse(await readFile(path, "utf8"), before?.value),
			};
		} catch (error) {
			return {
				stamp: "",
				value: this.reader.unreadable((error as Error).message, before?.value),
			};
		}
	}
}
