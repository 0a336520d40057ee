import type { RunSummary } from "./client-state.js";
import type { Direction } from "./profile-schedule.js";
import { countOf, numberText } from "./text.js";

/*
 * The words the live panel and `cdx status` say about a client's times and
 * runs, written the way a person reads them without thinking: weekday and
 * clock time, how long until, how long ago.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const twoDigits = (value: number) => String(value).padStart(2, "0");

/** How long until `at`: "42s", "4m 02s", "3h 10m", "5d 17h"; "now" when it is due. */
export function leftText(at: Date, now: Date): string {
	const ms = Math.max(0, at.getTime() - now.getTime());
	const seconds = Math.round(ms / SECOND);
	if (seconds === 0) return "now";
	if (seconds < 60) return `${seconds}s`;
	if (seconds < 3600)
		return `${Math.floor(seconds / 60)}m ${twoDigits(seconds % 60)}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 24 * 60)
		return `${Math.floor(minutes / 60)}h ${twoDigits(minutes % 60)}m`;
	const hours = Math.floor(minutes / 60);
	return `${Math.floor(hours / 24)}d ${twoDigits(hours % 24)}h`;
}

/**
 * leftText in whole minutes below an hour, rounded up ("5m" for 4m 02s):
 * for times the profile gives while no client runs, which need not tick
 * every second on every row of the panel.
 */
export function leftMinutesText(at: Date, now: Date): string {
	const seconds = Math.round(
		Math.max(0, at.getTime() - now.getTime()) / SECOND,
	);
	if (seconds === 0) return "now";
	if (seconds >= 3600) return leftText(at, now);
	return `${Math.ceil(seconds / 60)}m`;
}

/** How long ago `at` was, in the largest whole unit: "12s ago", "3m ago", "2h ago", "4d ago". */
export function agoText(at: Date, now: Date): string {
	const ms = Math.max(0, now.getTime() - at.getTime());
	if (ms < MINUTE) return `${Math.floor(ms / SECOND)}s ago`;
	if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m ago`;
	if (ms < DAY) return `${Math.floor(ms / HOUR)}h ago`;
	return `${Math.floor(ms / DAY)}d ago`;
}

type ZoneFormats = {
	zone: string;
	short: Intl.DateTimeFormat;
	long: Intl.DateTimeFormat;
	name: Intl.DateTimeFormat;
};

// A formatter costs far more than a format: one set per zone, kept.
const zoneFormats = new Map<string, ZoneFormats>();

function formatsFor(timeZone: string): ZoneFormats {
	const known = zoneFormats.get(timeZone);
	if (known) return known;
	const common = { timeZone, hour: "2-digit", minute: "2-digit" } as const;
	const formats: ZoneFormats = {
		zone: new Intl.DateTimeFormat("en-GB", { timeZone }).resolvedOptions()
			.timeZone,
		short: new Intl.DateTimeFormat("en-GB", {
			...common,
			weekday: "short",
			hourCycle: "h23",
		}),
		long: new Intl.DateTimeFormat("en-GB", {
			...common,
			weekday: "short",
			day: "numeric",
			month: "short",
			hourCycle: "h23",
		}),
		name: new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" }),
	};
	zoneFormats.set(timeZone, formats);
	return formats;
}

/** True when clock times in the two zones are the same zone's ("Etc/UTC" and "UTC" are). */
export function sameZone(a: string, b: string): boolean {
	return a === b || formatsFor(a).zone === formatsFor(b).zone;
}

/** The zone's short name at `at`, as people write it: "UTC", "CET", "GMT+2". */
export function zoneName(at: Date, timeZone: string): string {
	return (
		formatsFor(timeZone)
			.name.formatToParts(at)
			.find((part) => part.type === "timeZoneName")?.value ?? timeZone
	);
}

/**
 * A run time in the profile's zone: "Tue 19:30", with the date when it is
 * more than 6 days away ("Tue 8 Dec 19:30"), and the zone's name when it is
 * not the machine's ("Tue 19:30 CET").
 */
export function runTimeText(
	at: Date,
	now: Date,
	timeZone: string,
	machineZone: string,
): string {
	const far = at.getTime() - now.getTime() > 6 * DAY;
	// The panel asks for the same few times every second; formatting is the costly part.
	const key = `${at.getTime()} ${far} ${timeZone} ${machineZone}`;
	const known = runTimes.get(key);
	if (known !== undefined) return known;
	if (runTimes.size >= 2000) runTimes.clear();
	const text = formatRunTime(at, far, timeZone, machineZone);
	runTimes.set(key, text);
	return text;
}

const runTimes = new Map<string, string>();

function formatRunTime(
	at: Date,
	far: boolean,
	timeZone: string,
	machineZone: string,
): string {
	const formats = formatsFor(timeZone);
	const parts = (far ? formats.long : formats.short).formatToParts(at);
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		parts.find((candidate) => candidate.type === type)?.value ?? "";
	const day = far ? ` ${part("day")} ${part("month")}` : "";
	const clock = `${part("weekday")}${day} ${part("hour")}:${part("minute")}`;
	return sameZone(timeZone, machineZone)
		? clock
		: `${clock} ${zoneName(at, timeZone)}`;
}

/** The result of a run in the ERP's words: Applied (download), Uploaded, No data, Failed. */
export function resultWord(run: RunSummary, direction: Direction): string {
	switch (run.status) {
		case "Succeeded":
			return direction === "download" ? "Applied" : "Uploaded";
		case "No data":
			return "No data";
		case "Failed":
			return "Failed";
		default: {
			const never: never = run.status;
			return never;
		}
	}
}

/** "Applied 3m ago · 2 pkg 1,204 rows", "Failed 12s ago", "No data 1h ago". */
export function lastRunText(
	run: RunSummary,
	direction: Direction,
	now: Date,
): string {
	const word = `${resultWord(run, direction)} ${agoText(new Date(run.at), now)}`;
	return run.packages > 0 || run.rows > 0
		? `${word} · ${numberText(run.packages)} pkg ${countOf(run.rows, "row")}`
		: word;
}

/** "██████░░░░": `done` of `total` in `width` cells, never full before the end. */
export function progressBar(
	done: number,
	total: number,
	width: number,
): string {
	const share = total > 0 ? Math.min(1, done / total) : 0;
	const full =
		done >= total ? width : Math.min(width - 1, Math.floor(share * width));
	return "█".repeat(full) + "░".repeat(width - full);
}

/** How long a client has run, or a session took: "42s", "4m 02s", "3h 10m", "5d 17h". */
export function durationText(from: Date, to: Date): string {
	return to.getTime() - from.getTime() < 500 ? "0s" : leftText(to, from);
}

/** ISO 8601 with the local offset, e.g. 2026-11-26T09:15:00+01:00, for scripts and logs. */
export function isoWithOffset(
	at: Date,
	offsetMinutes = -at.getTimezoneOffset(),
): string {
	const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
	const sign = offsetMinutes < 0 ? "-" : "+";
	const absolute = Math.abs(offsetMinutes);
	const offset = `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
	return `${shifted.toISOString().slice(0, 19)}${offset}`;
}
