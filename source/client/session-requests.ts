import { type FSWatcher, readdirSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseJson } from "../domain/json-text.js";
import type { SessionAction } from "../store/sessions.js";
import { isMissing, readTextIfPresent, watchNames } from "./files.js";

/** An operator's retry or cancel of one session, as the TUI writes it (store/sessions.ts). */
export type SessionRequest = {
	/** What the client answers it by; requests from before ids are answered by their file's name. */
	id: string | null;
	action: SessionAction;
	sessionId: string;
	requestedAt: string;
	requestedBy: string;
};

/** One request file: its request, or why it cannot be read. */
export type RequestFile = { file: string } & (
	| { ok: true; request: SessionRequest }
	| { ok: false; problem: string }
);

export function parseSessionRequest(
	text: string,
): { ok: true; request: SessionRequest } | { ok: false; problem: string } {
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	const raw = parsed.value;
	const request = raw as Partial<SessionRequest> | null;
	if (request?.action !== "retry" && request?.action !== "cancel")
		return { ok: false, problem: 'action must be "retry" or "cancel"' };
	if (typeof request.sessionId !== "string")
		return { ok: false, problem: "sessionId: missing or not text" };
	return {
		ok: true,
		request: {
			id: typeof request.id === "string" ? request.id : null,
			action: request.action,
			sessionId: request.sessionId,
			requestedAt: String(request.requestedAt ?? "an unknown time"),
			requestedBy: String(request.requestedBy ?? "someone"),
		},
	};
}

/**
 * The running client's side of session requests
 * (<channel db>.session-request.<hash> in state/): notices them as they
 * appear, and lists them for handling. A request file is removed only after
 * it was acted on, so a client killed in between acts on it again (acting
 * twice changes nothing more: the session is no longer failed or waiting).
 */
export class SessionRequests {
	readonly #prefix: string;
	#watcher: FSWatcher | undefined;
	readonly #stuck = new Set<string>();

	constructor(
		private readonly stateFolder: string,
		channelDatabase: string,
	) {
		this.#prefix = `${channelDatabase}.session-request.`;
	}

	/** Calls `onRequest` when a request file appears; requests are also checked on every slice. */
	start(onRequest: () => void): void {
		this.#watcher = watchNames(this.stateFolder, this.#prefix, onRequest);
	}

	pending(): boolean {
		return this.#names().length > 0;
	}

	/** The requests waiting now, in file name order. */
	async waiting(): Promise<RequestFile[]> {
		const found: RequestFile[] = [];
		for (const name of this.#names()) {
			const file = join(this.stateFolder, name);
			try {
				const text = await readTextIfPresent(file);
				if (text !== null) found.push({ file, ...parseSessionRequest(text) });
			} catch (error) {
				found.push({ file, ok: false, problem: (error as Error).message });
			}
		}
		return found;
	}

	/**
	 * Removes a handled request. One that cannot be removed is left out from
	 * then on: runs wait while requests are pending, so it must not stay pending.
	 */
	async remove(file: string): Promise<void> {
		try {
			await unlink(file);
		} catch (error) {
			if (isMissing(error)) return;
			this.#stuck.add(basename(file));
			throw error;
		}
	}

	stop(): void {
		this.#watcher?.close();
	}

	#names(): string[] {
		try {
			return readdirSync(this.stateFolder)
				.filter(
					(name) => name.startsWith(this.#prefix) && !this.#stuck.has(name),
				)
				.sort();
		} catch {
			return [];
		}
	}
}
