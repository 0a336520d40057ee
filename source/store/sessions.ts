import { createHash, randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import {
	parseSessionLog,
	type SessionHistory,
} from "../domain/session-events.js";
import { writeFileAtomically } from "./atomic-write.js";
import { WatchedFolder } from "./watched-folder.js";

/** Every channel database's session log (<channel db>.sessions.jsonl) in a state folder. */
export function watchSessionLogs(
	folder: string,
	pollMs?: number,
): WatchedFolder<SessionHistory> {
	return new WatchedFolder<SessionHistory>(
		folder,
		{
			pattern: /^(.+)\.sessions\.jsonl$/,
			parse: (text) => parseSessionLog(text),
			unreadable: (_message, before) =>
				before ?? { sessions: [], unreadableLines: 0 },
		},
		pollMs,
	);
}

export type SessionAction = "retry" | "cancel";

/** The request file for one session: <channel db>.session-request.<hash of the session id>. */
export function sessionRequestFile(
	stateFolder: string,
	channelDatabase: string,
	sessionId: string,
): string {
	const hash = createHash("sha256")
		.update(sessionId)
		.digest("hex")
		.slice(0, 16);
	return join(stateFolder, `${channelDatabase}.session-request.${hash}`);
}

/**
 * Asks a channel database's client to retry or cancel one session. Like run
 * now, the request is a file the client acts on and deletes, so it also
 * reaches a client started later. Gives the request's id: the client
 * answers it in its state file (done, or refused and why).
 */
export async function requestSessionAction(
	stateFolder: string,
	channelDatabase: string,
	sessionId: string,
	action: SessionAction,
	now: Date,
): Promise<string> {
	await mkdir(stateFolder, { recursive: true, mode: 0o700 });
	const id = randomUUID();
	const request = {
		id,
		action,
		sessionId,
		requestedAt: now.toISOString(),
		requestedBy: `${userInfo().username}@${hostname()}`,
	};
	await writeFileAtomically(
		sessionRequestFile(stateFolder, channelDatabase, sessionId),
		`${JSON.stringify(request)}\n`,
	);
	return id;
}

/**
 * Asks a channel database's client to skip download package `sequence` of
 * its data group: when the group reaches it, it is passed over unapplied,
 * and the skip is recorded as a Canceled download session with who and why.
 */
export async function requestSkip(
	stateFolder: string,
	channelDatabase: string,
	sequence: number,
	reason: string,
	now: Date,
): Promise<string> {
	await mkdir(stateFolder, { recursive: true, mode: 0o700 });
	const file = sessionRequestFile(
		stateFolder,
		channelDatabase,
		`skip:${sequence}`,
	);
	const request = {
		action: "skip",
		sequence,
		reason,
		requestedAt: now.toISOString(),
		requestedBy: `${userInfo().username}@${hostname()}`,
	};
	await writeFileAtomically(
		file,
		`${JSON.stringify(request)}
`,
	);
	return file;
}
