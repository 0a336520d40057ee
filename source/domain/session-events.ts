import {
	type Check,
	fieldProblem,
	isCount,
	isDate,
	isDateOrNull,
	isText,
	isTextOrNull,
} from "./field-checks.js";
import { isObject } from "./json-text.js";

/*
 * A client's session history (state/<channel db>.sessions.jsonl): one JSON
 * event per line, appended by the client; the latest event of a session wins.
 */

/** Download session statuses, as the ERP's Download sessions form shows them. */
export const downloadSessionStatuses = [
	"Started",
	"Available",
	"Requested",
	"Downloaded",
	"Applied",
	"Canceled",
	"Create failed",
	"Download failed",
	"Apply failed",
] as const;

/** Upload session statuses, as the ERP's Upload sessions form shows them. */
export const uploadSessionStatuses = [
	"Started",
	"Available",
	"Uploaded",
	"Applied",
	"Canceled",
	"Upload failed",
	"Apply failed",
] as const;

export type DownloadSessionStatus = (typeof downloadSessionStatuses)[number];
export type UploadSessionStatus = (typeof uploadSessionStatuses)[number];

type SessionFields = {
	/** Stable for one package: every event of the session carries it; the last event wins. */
	id: string;
	/** The package file (full path). */
	package: string;
	sequence: number;
	tries: number;
	rows: number;
	startedAt: string;
	finishedAt: string | null;
	/** Why it failed (or was set aside); null when it did not. */
	error: string | null;
	/** When this event was written. */
	at: string;
};

export type SessionEvent =
	| (SessionFields & { direction: "download"; status: DownloadSessionStatus })
	| (SessionFields & { direction: "upload"; status: UploadSessionStatus });

const sessionChecks: Record<string, Check> = {
	id: isText,
	package: isText,
	sequence: isCount,
	tries: isCount,
	rows: isCount,
	startedAt: isDate,
	finishedAt: isDateOrNull,
	error: isTextOrNull,
	at: isDate,
};

function sessionEventOf(raw: unknown): SessionEvent | null {
	if (!isObject(raw) || fieldProblem(raw, sessionChecks, "") !== null)
		return null;
	const statuses: readonly string[] | null =
		raw.direction === "download"
			? downloadSessionStatuses
			: raw.direction === "upload"
				? uploadSessionStatuses
				: null;
	if (statuses === null || !statuses.includes(raw.status as string))
		return null;
	return raw as SessionEvent;
}

export type SessionHistory = {
	/** The latest event of each session, in the order the sessions began. */
	sessions: SessionEvent[];
	/** Lines that could not be read: a last line cut short by a crash, or damage. */
	unreadableLines: number;
};

/**
 * Folds a session log into one record per session (its latest event). A
 * reader may see the writer's last line half written, and a crash may leave
 * one cut short: such lines are counted and skipped, never fatal.
 */
export function parseSessionLog(text: string): SessionHistory {
	const latest = new Map<string, SessionEvent>();
	let unreadableLines = 0;
	for (const line of text.split("\n")) {
		if (line.trim() === "") continue;
		let raw: unknown;
		try {
			raw = JSON.parse(line);
		} catch {
			unreadableLines += 1;
			continue;
		}
		const event = sessionEventOf(raw);
		if (event === null) {
			unreadableLines += 1;
			continue;
		}
		latest.set(event.id, event);
	}
	return { sessions: [...latest.values()], unreadableLines };
}
