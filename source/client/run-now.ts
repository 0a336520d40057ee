import { existsSync, type FSWatcher } from "node:fs";
import { mkdir, unlink } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import type { Direction } from "../domain/profile-schedule.js";
import { writeFileAtomically } from "../store/atomic-write.js";
import { runNowRequestFile } from "./client-paths.js";
import { isMissing, watchNames } from "./files.js";

/**
 * Asks the client of a channel database to run a direction now. The request
 * is a file in state/; it waits there until a client starts that run (so it
 * also reaches a client started later).
 */
export async function requestRunNow(
	stateFolder: string,
	channelDatabase: string,
	direction: Direction,
	now: Date,
): Promise<string> {
	await mkdir(stateFolder, { recursive: true, mode: 0o700 });
	const file = runNowRequestFile(stateFolder, channelDatabase, direction);
	const request = {
		direction,
		requestedAt: now.toISOString(),
		requestedBy: `${userInfo().username}@${hostname()}`,
	};
	await writeFileAtomically(file, `${JSON.stringify(request)}\n`);
	return file;
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

	async consume(direction: Direction): Promise<void> {
		try {
			await unlink(
				runNowRequestFile(this.stateFolder, this.channelDatabase, direction),
			);
		} catch (error) {
			if (!isMissing(error)) throw error;
		}
	}

	stop(): void {
		this.#watcher?.close();
	}
}
