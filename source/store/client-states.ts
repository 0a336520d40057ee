import { hostname } from "node:os";
import { parseClientState } from "../domain/client-state.js";
import type { ObservedClient } from "../domain/live-status.js";
import {
	parseSessionLog,
	type SessionHistory,
} from "../domain/session-events.js";
import { WatchedFolder } from "./watched-folder.js";

function processGone(pid: number, host: string): boolean {
	if (host !== hostname()) return false;
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "ESRCH";
	}
}

/**
 * The Async Clients' state files (<channel db>.json) in a state folder. A
 * file caught mid-write or damaged keeps the last good state and says why;
 * a client's pid is checked on every look, since a killed client writes
 * nothing more.
 */
export function watchClientStates(
	folder: string,
	pollMs?: number,
): WatchedFolder<ObservedClient> {
	return new WatchedFolder<ObservedClient>(
		folder,
		{
			pattern: /^(.+)\.json$/,
			parse: (text, before) => {
				const parsed = parseClientState(text);
				if (parsed.ok) {
					const { pid, host } = parsed.state;
					return {
						state: parsed.state,
						problem: null,
						processGone: processGone(pid, host),
					};
				}
				return {
					state: before?.state ?? null,
					problem: `state file unreadable (${parsed.problem})`,
					processGone: before?.processGone ?? false,
				};
			},
			unreadable: (message, before) => ({
				state: before?.state ?? null,
				problem: `state file unreadable (${message})`,
				processGone: before?.processGone ?? false,
			}),
			recheck: (observed) => {
				if (!observed.state) return observed;
				const gone = processGone(observed.state.pid, observed.state.host);
				return gone === observed.processGone
					? observed
					: { ...observed, processGone: gone };
			},
		},
		pollMs,
	);
}

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
