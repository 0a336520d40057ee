import { randomUUID } from "node:crypto";
import { existsSync, type FSWatcher } from "node:fs";
import { mkdir, unlink } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { isObject, parseJson } from "../domain/json-text.js";
import type { Direction } from "../domain/profile-schedule.js";
import { writeFileAtomically } from "../store/atomic-write.js";
import { runNowRequestFile } from "./client-paths.js";
import { isMissing, readTextIfPresent, watchNames } from "./files.js";

/**
 * Asks the client of a channel database to run a direction now. The request
 * is a file in state/; it waits there until a client starts that run (so it
 * also reaches a client started later). Gives the request's id: the client
 * answers it in its state file when the run it asked for is done.
 */
export async function requestRunNow(
	stateFolder: string,
	channelDatabase: string,
	direction: Direction,
	now: Date,
): Promise<string> {
	await mkdir(stateFolder, { recursive: true, mode: 0o700 });
	const file = runNowRequestFile(stateFolder, channelDatabase, direction);
	const id = randomUUID();
	const request = {
		id,
		direction,
		requestedAt: now.toISOString(),
		requestedBy: `${userInfo().username}@${hostname()}`,
	};
	await writeFileAtomically(file, `${JSON.stringify(request)}\n`);
	return id;
}

/** The running client's side: notices request files as they appear, and deletes one when it acts on it. */
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
