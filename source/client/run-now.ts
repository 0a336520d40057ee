import { existsSync, type FSWatcher } from "node:fs";
import { unlink } from "node:fs/promises";
import { isObject, parseJson } from "../domain/json-text.js";
import type { Direction } from "../domain/profile-schedule.js";
import { runNowRequestFile } from "../store/client-requests.js";
import { isMissing, readTextIfPresent, watchNames } from "./files.js";

/** The running client's side of run-now requests (store/client-requests.ts writes them): notices request files as they appear, and deletes one when it acts on it. */
export class RunNowRequests {
	#watcher: FSWatcher | undefined;

	constructor(
		private readonly stateFolder: string,
		private readonly channelDatabase: string,
	) {}

	/** Calls `onRequest` when a request file appears; requests are also checked on every slice. */
	start(onRequest: () => void): void {
		// Without a watcher, the scheduler still sees requests within a slice.
		this.#watcher = watchNames(
			this.stateFolder,
			`${this.channelDatabase}.run-now.`,
			onRequest,
		);
	}

	pending(direction: Direction): boolean {
		return existsSync(
			runNowRequestFile(this.stateFolder, this.channelDatabase, direction),
		);
	}

	/** Takes the request away; gives its id (null when there was none or it has no readable id) to answer it by. */
	async consume(direction: Direction): Promise<string | null> {
		const file = runNowRequestFile(
			this.stateFolder,
			this.channelDatabase,
			direction,
		);
		const text = await readTextIfPresent(file).catch(() => null);
		try {
			await unlink(file);
		} catch (error) {
			if (!isMissing(error)) throw error;
		}
		const parsed = text === null ? null : parseJson(text);
		return parsed?.ok &&
			isObject(parsed.value) &&
			typeof parsed.value.id === "string"
			? parsed.value.id
			: null;
	}

	stop(): void {
		this.#watcher?.close();
	}
}
