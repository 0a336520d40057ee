import { appendFile, truncate } from "node:fs/promises";
import {
	parseSessionLog,
	type SessionEvent,
} from "../domain/session-events.js";
import { writeFileAtomically } from "../store/atomic-write.js";
import { readTextIfPresent } from "./files.js";

/**
 * The download and upload session history of one channel database: an
 * append-only file, one JSON event per line. Each event carries the whole
 * session as it stands; readers keep the last event per session ID. Only the
 * client holding the database's lock writes it; appends and the occasional
 * rewrite for retention go through one queue.
 */
export class SessionLog {
	readonly #latest: Map<string, SessionEvent>;
	#queue: Promise<unknown> = Promise.resolve();

	private constructor(
		readonly file: string,
		latest: Map<string, SessionEvent>,
	) {
		this.#latest = latest;
	}

	/** Reads the history; a last line cut short by a kill is removed so the next append starts clean. */
	static async open(file: string): Promise<SessionLog> {
		const text = (await readTextIfPresent(file)) ?? "";
		if (text !== "" && !text.endsWith("\n")) {
			await truncate(
				file,
				Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1)),
			);
		}
		const { sessions } = parseSessionLog(text);
		return new SessionLog(
			file,
			new Map(sessions.map((session) => [session.id, session])),
		);
	}

	/** The session as last recorded, if there is one with this ID. */
	latest(id: string): SessionEvent | undefined {
		return this.#latest.get(id);
	}

	record(event: SessionEvent): Promise<void> {
		this.#latest.set(event.id, event);
		return this.#enqueue(() =>
			appendFile(this.file, `${JSON.stringify(event)}\n`, { mode: 0o600 }),
		);
	}

	/**
	 * Drops sessions whose last event is older than their direction's cutoff
	 * (the retention days of the Retail scheduler parameters). Returns how many.
	 */
	prune(cutoff: Record<SessionEvent["direction"], Date>): Promise<number> {
		return this.#enqueue(async () => {
			const expired = new Set<string>();
			for (const [id, session] of this.#latest) {
				if (Date.parse(session.at) < cutoff[session.direction].getTime())
					expired.add(id);
			}
			if (expired.size === 0) return 0;
			const text = (await readTextIfPresent(this.file)) ?? "";
			const kept = text.split("\n").filter((line) => {
				if (line.trim() === "") return false;
				try {
					return !expired.has((JSON.parse(line) as SessionEvent).id);
				} catch {
					return false;
				}
			});
			await writeFileAtomically(
				this.file,
				kept.length === 0 ? "" : `${kept.join("\n")}\n`,
			);
			for (const id of expired) this.#latest.delete(id);
			return expired.size;
		});
	}

	/** Resolves once everything recorded so far is written. */
	flushed(): Promise<void> {
		return this.#enqueue(async () => {});
	}

	#enqueue<T>(work: () => Promise<T>): Promise<T> {
		const result = this.#queue.then(work);
		this.#queue = result.catch(() => {});
		return result;
	}
}
