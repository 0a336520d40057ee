import type { Configuration } from "./configuration.js";
import { type Direction, scheduleFor } from "./profile-schedule.js";
import { nextRuns } from "./schedule.js";
import type { SessionEvent } from "./session-events.js";
import { durationText, runTimeText } from "./status-words.js";
import { countOf } from "./text.js";

/*
 * What a client's detail view shows beyond its panel row: its coming runs
 * (from the same schedule function the client uses), a strip of the next
 * 24 hours, and its last sessions.
 */

const dayMs = 24 * 60 * 60 * 1000;

/** The next `count` runs of each direction the configuration gives a channel database; empty when its links are missing. */
export function upcomingRuns(
	configuration: Configuration,
	databaseId: string,
	now: Date,
	count: number,
): Record<Direction, Date[]> {
	const database = configuration.channelDatabases.find(
		(candidate) => candidate.id === databaseId,
	);
	const profile = configuration.profiles.find(
		(candidate) => candidate.id === database?.profileId,
	);
	const runs = (direction: Direction) => {
		if (!database || !profile) return [];
		try {
			return nextRuns(scheduleFor(profile, database, direction), now, count);
		} catch {
			return [];
		}
	};
	return { download: runs("download"), upload: runs("upload") };
}

/** Enough runs to cover a day at the shortest interval (one a minute). */
export const runsInADay = 24 * 60 + 1;

/**
 * The next 24 hours in `width` cells: ↓ where a download falls, ↑ an
 * upload, ↕ both, · nothing. Each cell is 24 h / width long.
 */
export function timelineStrip(
	runs: Record<Direction, readonly Date[]>,
	now: Date,
	width: number,
): string {
	const cells = Array.from({ length: width }, () => ({
		download: false,
		upload: false,
	}));
	const place = (direction: Direction) => {
		for (const at of runs[direction]) {
			const offset = at.getTime() - now.getTime();
			if (offset < 0 || offset >= dayMs) continue;
			const cell = cells[Math.floor((offset / dayMs) * width)];
			if (cell) cell[direction] = true;
		}
	};
	place("download");
	place("upload");
	return cells
		.map(({ download, upload }) =>
			download && upload ? "↕" : download ? "↓" : upload ? "↑" : "·",
		)
		.join("");
}

/** Hour marks under the strip: "now", then "+6h", "+12h", "+18h" where they fall. */
export function timelineScale(width: number): string {
	const line = Array.from({ length: width }, () => " ");
	const put = (at: number, text: string) => {
		[...text].forEach((character, index) => {
			if (at + index < width) line[at + index] = character;
		});
	};
	put(0, "now");
	for (const hours of [6, 12, 18])
		put(Math.floor((hours / 24) * width), `+${hours}h`);
	return line.join("").trimEnd();
}

/** The runs as one line in `timeZone`: the weekday only where the day changes, "Tue 19:30, 19:45, Wed 00:00". */
export function runsText(
	runs: readonly Date[],
	now: Date,
	timeZone: string,
): string {
	let day = "";
	return runs
		.map((at) => {
			const text = runTimeText(at, now, timeZone, timeZone);
			const [weekday = "", ...rest] = text.split(" ");
			const shown = weekday === day ? rest.join(" ") : text;
			day = weekday;
			return shown;
		})
		.join(", ");
}

/** The latest `count` sessions, newest first. */
export function latestSessions(
	sessions: readonly SessionEvent[],
	count: number,
): SessionEvent[] {
	return [...sessions]
		.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
		.slice(0, count);
}

const barCharacters = 8;

/** One session as a line: arrow, start, status, sequence, rows (with a bar against the most rows shown), duration. */
export function sessionLine(
	session: SessionEvent,
	mostRows: number,
	now: Date,
	timeZone: string,
	machineZone: string,
): string {
	const arrow = session.direction === "download" ? "↓" : "↑";
	const started = new Date(session.startedAt);
	const bar =
		mostRows > 0
			? "█"
					.repeat(Math.round((session.rows / mostRows) * barCharacters))
					.padEnd(barCharacters, "░")
			: "░".repeat(barCharacters);
	const took =
		session.finishedAt === null
			? "…"
			: durationText(started, new Date(session.finishedAt));
	return [
		arrow,
		runTimeText(started, now, timeZone, machineZone).padEnd(9),
		session.status.padEnd(15),
		`#${session.sequence}`.padEnd(8),
		countOf(session.rows, "row").padStart(12),
		bar,
		took,
	].join(" ");
}
