import { type FSWatcher, readdirSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseJson } from "../domain/json-text.js";
import type { SessionAction } from "../store/client-requests.js";
import { isMissing, readTextIfPresent, watchNames } from "./files.js";

/** An operator's retry or cancel of one session, as the TUI writes it (store/client-requests.ts). */
export type SessionRequest = {
	/** What the client answers it by; requests from before ids are answered by their file's name. */
	id: string | null;
	action: SessionAction;
	sessionId: string;
	requestedAt: string;
	requestedBy: string;
};

/** An operator's skip of one download package (cdx package skip): passed over, never applied. */
export type SkipRequest = {
	id: string | null;
	action: "skip";
	sequence: number;
	reason: string;
	requestedAt: string;
	requestedBy: string;
};

type Parsed =
	| { ok: true; request: SessionRequest | SkipRequest }
	| { ok: false; problem: string };

/** One request file: its request, or why it cannot be read. */
export type RequestFile = { file: string } & Parsed;

export function parseSessionRequest(text: string): Parsed {
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	const raw = parsed.value as Record<string, unknown> | null;
	const who = {
		id: typeof raw?.id === "string" ? raw.id : null,
		requestedAt: String(raw?.requestedAt ?? "an unknown time"),
		requestedBy: String(raw?.requestedBy ?? "someone"),
	};
	if (raw?.action === "skip") {
		if (!Number.isSafeInteger(raw.sequence) || (raw.sequence as number) < 1)
			return {
				ok: false,
				problem: "sequence: missing or not a whole number from 1",
			};
		return {
			ok: true,
			request: {
				action: "skip",
				sequence: raw.sequence as number,
				reason: String(raw.reason ?? "no reason given"),
				...who,
			},
		};
	}
	if (raw?.action !== "retry" && raw?.action !== "cancel")
		return { ok: false, problem: 'action must be "retry", "cancel" or "skip"' };
	if (typeof raw.sessionId !== "string")
		return { ok: false, problem: "sessionId: missing or not text" };
	return {
		ok: true,
		request: { action: raw.action, sessionId: raw.sessionId, ...who },
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
