import { createHash, randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Direction } from "../domain/profile-schedule.js";
import { writeFileAtomically } from "./atomic-write.js";
import { currentUser } from "./current-user.js";

/*
 * What an operator (the TUI or the CLI) asks of a channel database's Async
 * Client. Each request is a file in the state folder that the client acts on
 * and deletes, so it also reaches a client started later; the client answers
 * a request's id in its state file (client/run-now.ts and
 * client/session-requests.ts are its side).
 */

export type SessionAction = "retry" | "cancel";

/** An operator's "run now" request: a file the running client deletes when it starts the run. */
export function runNowRequestFile(
	stateFolder: string,
	channelDatabase: string,
	direction: Direction,
): string {
	return join(stateFolder, `${channelDatabase}.run-now.${direction}`);
}

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

/** Writes one request, stamped with when and by whom; gives its id. */
async function writeRequest(
	file: string,
	fields: Record<string, string | number>,
	now: Date,
): Promise<string> {
	await mkdir(dirname(file), { recursive: true, mode: 0o700 });
	const id = randomUUID();
	const request = {
		id,
		...fields,
		requestedAt: now.toISOString(),
		requestedBy: currentUser(),
	};
	await writeFileAtomically(file, `${JSON.stringify(request)}\n`);
	return id;
}

/** Asks the client to run a direction now; the request waits until a client starts that run. */
export function requestRunNow(
	stateFolder: string,
	channelDatabase: string,
	direction: Direction,
	now: Date,
): Promise<string> {
	return writeRequest(
		runNowRequestFile(stateFolder, channelDatabase, direction),
		{ direction },
		now,
	);
}

/** Asks the client to retry or cancel one session; it answers done, or refused and why. */
export function requestSessionAction(
	stateFolder: string,
	channelDatabase: string,
	sessionId: string,
	action: SessionAction,
	now: Date,
): Promise<string> {
	return writeRequest(
		sessionRequestFile(stateFolder, channelDatabase, sessionId),
		{ action, sessionId },
		now,
	);
}

/**
 * Asks the client to skip download package `sequence` of its data group:
 * when the group reaches it, it is passed over unapplied, and the skip is
 * recorded as a Canceled download session with who and why.
 */
export function requestSkip(
	stateFolder: string,
	channelDatabase: string,
	sequence: number,
	reason: string,
	now: Date,
): Promise<string> {
	return writeRequest(
		sessionRequestFile(stateFolder, channelDatabase, `skip:${sequence}`),
		{ action: "skip", sequence, reason },
		now,
	);
}
