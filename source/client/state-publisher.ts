import { hostname } from "node:os";
import type { ClientLinks } from "../domain/client-links.js";
import {
	type ClientState,
	clientLiveness,
	clientStateFormatVersion,
	keptAnswers,
	parseClientState,
	type RequestAnswer,
} from "../domain/client-state.js";
import { writeFileAtomically } from "../store/atomic-write.js";
import type { Clock } from "./clock.js";
import { readTextIfPresent } from "./files.js";

/**
 * The one writer of a client's state file. Every change is written at once
 * (atomically, so readers see the old or the new file), at most one write at
 * a time: changes made during a write are folded into the next one. A
 * heartbeat rewrites it every couple of seconds so readers can tell a
 * running client from a dead one.
 */
export class StatePublisher {
	#state: ClientState;
	#writing: Promise<void> | null = null;
	#dirty = false;
	#heartbeat: NodeJS.Timeout | undefined;

	constructor(
		private readonly file: string,
		initial: ClientState,
		private readonly clock: Clock,
		private readonly onError: (error: Error) => void,
		private readonly onHeartbeat: () => void = () => {},
	) {
		this.#state = initial;
	}

	get state(): ClientState {
		return this.#state;
	}

	update(change: Partial<ClientState>): void {
		this.#state = { ...this.#state, ...change };
		this.#dirty = true;
		// Changes made in the same tick (a new plan and the time it changed) go out in one write.
		if (this.#writing === null)
			this.#writing = Promise.resolve().then(() => this.#writeWhileDirty());
	}

	/** Publishes the answer to an operator's request; the latest few are kept. */
	answer(answer: Omit<RequestAnswer, "answeredAt">): void {
		const answers = [
			...(this.#state.answers ?? []),
			{ ...answer, answeredAt: this.clock.now().toISOString() },
		].slice(-keptAnswers);
		this.update({ answers });
	}

	startHeartbeat(intervalMs = 2000): void {
		this.#heartbeat = setInterval(() => {
			this.onHeartbeat();
			this.update({});
		}, intervalMs);
	}

	/** Resolves once everything updated so far is on disk. */
	async flushed(): Promise<void> {
		while (this.#writing !== null) await this.#writing;
	}

	async stop(final: Partial<ClientState>): Promise<void> {
		clearInterval(this.#heartbeat);
		this.update(final);
		await this.flushed();
	}

	async #writeWhileDirty(): Promise<void> {
		try {
			while (this.#dirty) {
				this.#dirty = false;
				this.#state = {
					...this.#state,
					heartbeatAt: this.clock.now().toISOString(),
				};
				try {
					await writeFileAtomically(
						this.file,
						`${JSON.stringify(this.#state, null, "\t")}\n`,
					);
				} catch (error) {
					this.onError(error as Error);
				}
			}
		} finally {
			this.#writing = null;
		}
	}
}

/** The state the previous client left, if it can be read: its last runs carry over. */
export async function previousState(file: string): Promise<ClientState | null> {
	const text = await readTextIfPresent(file).catch(() => null);
	if (text === null) return null;
	const parsed = parseClientState(text);
	return parsed.ok ? parsed.state : null;
}

/** True when the state file says its client runs now (heartbeat fresh, not stopped). */
export async function clientRunning(file: string, now: Date): Promise<boolean> {
	const state = await previousState(file);
	return state !== null && clientLiveness(state, now) === "running";
}

/** A starting client's state: nothing running yet, its last runs from before. */
export function initialState(
	links: Pick<ClientLinks, "database" | "profile" | "dataGroup" | "schedules">,
	startedAt: string,
	previous: ClientState | null,
): ClientState {
	return {
		formatVersion: clientStateFormatVersion,
		pid: process.pid,
		host: hostname(),
		startedAt,
		heartbeatAt: startedAt,
		stoppedAt: null,
		channelDatabase: links.database.name,
		profile: links.profile.name,
		dataGroup: links.dataGroup.name,
		nextDownloadAt: null,
		nextUploadAt: null,
		currentRun: null,
		lastDownload: previous?.lastDownload ?? null,
		lastUpload: previous?.lastUpload ?? null,
		configProblem: null,
		scheduleChangedAt: startedAt,
		schedules: links.schedules,
		answers: previous?.answers ?? [],
		waitingFor: previous?.waitingFor ?? null,
	};
}
