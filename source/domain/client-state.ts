import {
	type Check,
	fieldProblem,
	isCount,
	isDate,
	isDateOrNull,
	isText,
	isTextOrNull,
	optional,
} from "./field-checks.js";
import { isObject, parseJson } from "./json-text.js";
import type { Direction } from "./profile-schedule.js";
import type { DirectionSchedule } from "./schedule.js";

/**
 * What a running Async Client publishes in state/: its live state
 * (<channel db>.json, rewritten atomically by its one writer; its session
 * history is in session-events.ts). Readers such as the TUI's live panel
 * use the parser here.
 */
export const clientStateFormatVersion = 1;

export type RunStatus = "Succeeded" | "No data" | "Failed";

/** The outcome of the last run of one direction. */
export type RunSummary = {
	startedAt: string;
	/** When it finished. */
	at: string;
	status: RunStatus;
	packages: number;
	rows: number;
	/** What went wrong, or what was set aside; null when nothing did. */
	message: string | null;
};

/** What a current run counts: packages (downloads), rows (uploads), outbox files (an upload's import). */
export const progressUnits = ["packages", "rows", "outbox files"] as const;
export type ProgressUnit = (typeof progressUnits)[number];

export type CurrentRun = {
	direction: Direction;
	startedAt: string;
	/** What it is doing, e.g. "applying 0000000007.package.json". */
	step: string;
	done: number;
	total: number;
	/** What done and total count; absent means packages (clients before uploads counted rows). */
	unit?: ProgressUnit;
};

/** The operator requests a client answers: run now, and retry or cancel of a session. */
export type RequestAction = "run-now" | "retry" | "cancel" | "skip";

/** A client's answer to one request, so the one who asked sees what came of it. */
export type RequestAnswer = {
	/** The id the request file carried. */
	request: string;
	action: RequestAction;
	answeredAt: string;
	ok: boolean;
	/** What was done, or why it was refused. */
	message: string;
};

/** The client's channel database as it last looked: for the detail view. */
export type ChannelStoreFacts = {
	/** e.g. "sqlite", "postgresql". */
	engine: string;
	/** A file path, or a server and database name. */
	location: string;
	/** The last applied download sequence of each data group. */
	watermarks: Record<string, number>;
};

/** How many answers a state file keeps: enough for every screen that asked within a refresh. */
export const keptAnswers = 10;

/**
 * The download package a client waits for before it can apply anything
 * more of its data group (packages are applied strictly in sequence).
 */
export type WaitingFor = {
	sequence: number;
	/** Since when this client has waited for this sequence. */
	since: string;
	/** e.g. "package 2 not in the folder yet", "package 2 quarantined: bad checksum …" */
	reason: string;
};

export type ClientState = {
	formatVersion: typeof clientStateFormatVersion;
	pid: number;
	host: string;
	startedAt: string;
	/** Rewritten every ~2 s while the client runs. */
	heartbeatAt: string;
	/** Set when the client stopped cleanly; null while it runs (or if it was killed). */
	stoppedAt: string | null;
	channelDatabase: string;
	profile: string;
	dataGroup: string;
	nextDownloadAt: string | null;
	nextUploadAt: string | null;
	currentRun: CurrentRun | null;
	lastDownload: RunSummary | null;
	lastUpload: RunSummary | null;
	/** Why db.json cannot be used right now; the client then runs on the last good configuration. */
	configProblem: string | null;
	/** When the client last took a new schedule from the configuration. */
	scheduleChangedAt: string | null;
	/** The schedules the client runs on now; absent from clients before they published them. */
	schedules?: Record<Direction, DirectionSchedule>;
	/** The latest answers to requests, newest last; absent from older clients. */
	answers?: RequestAnswer[];
	/** Absent from older clients. */
	channelStore?: ChannelStoreFacts;
	/** Null when the data group waits for nothing (a state file of an older client has none). */
	waitingFor?: WaitingFor | null;
};

/** A client whose heartbeat is older than this has stopped without saying so (killed, or hung). */
export const staleHeartbeatMs = 10_000;

export type ClientLiveness = "running" | "stale" | "stopped";

export function clientLiveness(state: ClientState, now: Date): ClientLiveness {
	if (state.stoppedAt !== null) return "stopped";
	const age = now.getTime() - Date.parse(state.heartbeatAt);
	return age > staleHeartbeatMs ? "stale" : "running";
}

export type ParsedClientState =
	| { ok: true; state: ClientState }
	| { ok: false; problem: string };

const runSummaryChecks: Record<string, Check> = {
	startedAt: isDate,
	at: isDate,
	status: (value) =>
		value === "Succeeded" || value === "No data" || value === "Failed",
	packages: isCount,
	rows: isCount,
	message: isTextOrNull,
};

const currentRunChecks: Record<string, Check> = {
	direction: (value) => value === "download" || value === "upload",
	startedAt: isDate,
	step: isText,
	done: isCount,
	total: isCount,
	unit: optional((value) => progressUnits.includes(value as ProgressUnit)),
};

function nested(checks: Record<string, Check>, where: string) {
	return (value: unknown) =>
		value === null ||
		(isObject(value) && fieldProblem(value, checks, where) === null);
}

const isSchedule: Check = (value) =>
	isObject(value) &&
	((value.mode === "interval" && isCount(value.intervalMinutes)) ||
		(value.mode === "cron" &&
			isText(value.expression) &&
			isText(value.timeZone)));

const answerChecks: Record<string, Check> = {
	request: isText,
	action: (value) =>
		value === "run-now" ||
		value === "retry" ||
		value === "cancel" ||
		value === "skip",
	answeredAt: isDate,
	ok: (value) => typeof value === "boolean",
	message: isText,
};

const stateChecks: Record<string, Check> = {
	formatVersion: (value) => value === clientStateFormatVersion,
	pid: isCount,
	host: isText,
	startedAt: isDate,
	heartbeatAt: isDate,
	stoppedAt: isDateOrNull,
	channelDatabase: isText,
	profile: isText,
	dataGroup: isText,
	nextDownloadAt: isDateOrNull,
	nextUploadAt: isDateOrNull,
	currentRun: nested(currentRunChecks, "currentRun."),
	lastDownload: nested(runSummaryChecks, "lastDownload."),
	lastUpload: nested(runSummaryChecks, "lastUpload."),
	configProblem: isTextOrNull,
	scheduleChangedAt: isDateOrNull,
	schedules: optional(
		(value) =>
			isObject(value) && isSchedule(value.download) && isSchedule(value.upload),
	),
	channelStore: optional(
		(value) =>
			isObject(value) &&
			isText(value.engine) &&
			isText(value.location) &&
			isObject(value.watermarks) &&
			Object.values(value.watermarks).every(isCount),
	),
	answers: optional(
		(value) =>
			Array.isArray(value) &&
			value.every(
				(answer) =>
					isObject(answer) && fieldProblem(answer, answerChecks, "") === null,
			),
	),
};

/**
 * The state's waitingFor, read defensively: clients before it existed have
 * none, and a value of another shape is treated as none rather than hiding
 * the whole state.
 */
export function waitingForOf(state: ClientState): WaitingFor | null {
	const value = (state as { waitingFor?: unknown }).waitingFor;
	if (!isObject(value)) return null;
	const { sequence, since, reason } = value;
	return isCount(sequence) && isDate(since) && typeof reason === "string"
		? { sequence: sequence as number, since: since as string, reason }
		: null;
}

/** Reads a state file's text; a file of another format or shape is refused with the field at fault. */
export function parseClientState(text: string): ParsedClientState {
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	const raw = parsed.value;
	if (!isObject(raw))
		return { ok: false, problem: "not a client state object" };
	const problem = fieldProblem(raw, stateChecks, "");
	return problem === null
		? { ok: true, state: raw as ClientState }
		: { ok: false, problem };
}
