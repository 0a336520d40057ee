import { stat } from "node:fs/promises";
import {
	type ClientLinks,
	resolveClientLinks,
} from "../domain/client-links.js";
import { ConfigurationStore } from "../store/configuration-store.js";
import type { Clock } from "./clock.js";

export type OpenedConfiguration =
	| { ok: true; configuration: LiveConfiguration }
	| { ok: false; problem: string };

/*
 * A watcher is fast but can miss changes (some network file systems, an
 * editor that replaces the folder's inode); a cheap stat catches the rest.
 */
const statPollMs = 1000;

/**
 * The client's view of db.json: the links of its channel database, kept up
 * to date as operators save. A file that cannot be read, or a change that
 * breaks a link, keeps the last good links and says why in `problem`.
 */
export class LiveConfiguration {
	#links: ClientLinks;
	#problem: string | null = null;
	#listeners = new Set<() => void>();
	#stops: Array<() => void> = [];

	private constructor(
		private readonly store: ConfigurationStore,
		private readonly channelDatabase: string,
		private readonly clock: Clock,
		links: ClientLinks,
	) {
		this.#links = links;
	}

	static async open(
		databasePath: string,
		channelDatabase: string,
		clock: Clock,
	): Promise<OpenedConfiguration> {
		const store = await ConfigurationStore.open(databasePath);
		const resolved = resolveClientLinks(
			store.getSnapshot().configuration,
			channelDatabase,
			clock.now(),
		);
		if (!resolved.ok) return resolved;
		return {
			ok: true,
			configuration: new LiveConfiguration(
				store,
				channelDatabase,
				clock,
				resolved.links,
			),
		};
	}

	get links(): ClientLinks {
		return this.#links;
	}

	get problem(): string | null {
		return this.#problem;
	}

	get path(): string {
		return this.store.path;
	}

	/** Called after every reload of the file, changed links or not. */
	onChange(listener: () => void): void {
		this.#listeners.add(listener);
	}

	start(): void {
		this.#stops.push(this.store.subscribe(() => this.#take()));
		this.#stops.push(this.store.watch());
		let last = "";
		let busy = false;
		const poll = async () => {
			const seen = await stat(this.store.path).then(
				(info) => `${info.ino}:${info.size}:${info.mtimeMs}`,
				() => "missing",
			);
			if (last !== "" && seen !== last) await this.store.reload();
			last = seen;
		};
		const timer = setInterval(() => {
			if (busy) return;
			busy = true;
			void poll().finally(() => {
				busy = false;
			});
		}, statPollMs);
		this.#stops.push(() => clearInterval(timer));
	}

	stop(): void {
		for (const stop of this.#stops.splice(0)) stop();
		this.#listeners.clear();
	}

	#take(): void {
		const snapshot = this.store.getSnapshot();
		if (snapshot.problem !== null) {
			this.#problem = `${snapshot.problem}; running on the last good configuration`;
		} else {
			// Followed by record id: a rename (cdx channel-db set --name) keeps this client on its database.
			const renamed = snapshot.configuration.channelDatabases.find(
				(candidate) => candidate.id === this.#links.database.id,
			);
			const resolved = resolveClientLinks(
				snapshot.configuration,
				renamed?.name ?? this.channelDatabase,
				this.clock.now(),
			);
			if (resolved.ok) {
				this.#links = resolved.links;
				this.#problem = null;
			} else {
				this.#problem = `${resolved.problem}; running on the last good configuration`;
			}
		}
		for (const listener of this.#listeners) listener();
	}
}
