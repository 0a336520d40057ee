import { Box, Text } from "ink";
import { type ReactNode, useMemo } from "react";
import {
	latestSessions,
	runsInADay,
	runsText,
	sessionLine,
	timelineScale,
	timelineStrip,
	upcomingRuns,
} from "../../domain/client-detail.js";
import type { Configuration } from "../../domain/configuration.js";
import type { ClientStatusRow } from "../../domain/live-status.js";
import type { Direction } from "../../domain/profile-schedule.js";
import type { SessionEvent } from "../../domain/session-events.js";
import { statusCell, type Tone } from "../../domain/status-table.js";
import {
	agoText,
	durationText,
	lastRunText,
	sameZone,
	zoneName,
} from "../../domain/status-words.js";
import { displayText } from "../../domain/text.js";
import { useLineScroll } from "../hooks/use-line-scroll.js";
import { useToneStyle } from "../tone.js";
import { ScrollMarker } from "./scroll-marker.js";

type Props = {
	row: ClientStatusRow;
	configuration: Configuration;
	sessions: readonly SessionEvent[];
	now: Date;
	machineZone: string;
	width: number;
	height: number;
	/** In front: the scroll keys move its lines. */
	focused: boolean;
};

const labelWidth = 16;
const shownSessions = 20;
const minute = 60_000;

function Line({
	label,
	children,
	tone = "plain",
}: {
	label: string;
	children: string;
	tone?: Tone;
}) {
	const toneStyle = useToneStyle();
	return (
		<Box>
			<Box width={labelWidth} flexShrink={0}>
				<Text dimColor>{label}</Text>
			</Box>
			<Text {...toneStyle(tone)} wrap="truncate-end">
				{displayText(children)}
			</Text>
		</Box>
	);
}

/**
 * One client in full: its next runs, the next 24 hours as a strip, its last
 * runs and sessions, what it waits for, and its process. Opened with Enter
 * on the panel; Esc goes back with the same client selected. Lines that do
 * not fit scroll (↑/↓ a line, PgUp/PgDn a page) under markers that say how
 * many more there are.
 */
export function ClientDetail({
	row,
	configuration,
	sessions,
	now,
	machineZone,
	width,
	height,
	focused,
}: Props) {
	const toneStyle = useToneStyle();
	// Runs move once a minute at most: a day of them is worked out once a minute, not every second.
	const minuteNow = Math.floor(now.getTime() / minute);
	const runs = useMemo(
		() =>
			upcomingRuns(
				configuration,
				row.key,
				new Date(minuteNow * minute),
				runsInADay,
			),
		[configuration, row.key, minuteNow],
	);
	const stripWidth = Math.max(24, Math.min(96, width - labelWidth - 1));
	const zoneNote = sameZone(row.timeZone, machineZone)
		? ""
		: ` (${zoneName(now, row.timeZone)})`;
	const next = (direction: Direction) => {
		const coming = runs[direction].filter((at) => at > now).slice(0, 10);
		return coming.length === 0
			? "— (no schedule: check the profile)"
			: `${runsText(coming, now, row.timeZone)}${zoneNote}`;
	};
	const status = statusCell(row);
	const client = row.client;
	const process =
		client === null
			? "no client has run here"
			: `pid ${client.pid} on ${client.host}${row.live ? `, up ${durationText(new Date(client.startedAt), now)}` : ""}`;
	const last = (direction: Direction) => {
		const run = direction === "download" ? row.lastDownload : row.lastUpload;
		if (run === null) return { text: "—", tone: "plain" as const };
		const text = lastRunText(run, direction, now);
		return {
			text: run.message ? `${text}: ${run.message}` : text,
			tone: run.status === "Failed" ? ("failure" as const) : ("plain" as const),
		};
	};
	const facts = row.channelStore;
	const latest = latestSessions(sessions, shownSessions);
	const mostRows = Math.max(0, ...latest.map((session) => session.rows));
	const download = last("download");
	const upload = last("upload");
	const lines: { key: string; node: ReactNode }[] = [
		{
			key: "next downloads",
			node: <Line label="Next downloads">{next("download")}</Line>,
		},
		{
			key: "next uploads",
			node: <Line label="Next uploads">{next("upload")}</Line>,
		},
		{
			key: "strip",
			node: (
				<Line label="Next 24 hours">
					{timelineStrip(runs, now, stripWidth)}
				</Line>
			),
		},
		{
			key: "scale",
			node: <Line label="">{timelineScale(stripWidth)}</Line>,
		},
		{
			key: "last download",
			node: (
				<Line label="Last download" tone={download.tone}>
					{download.text}
				</Line>
			),
		},
		{
			key: "last upload",
			node: (
				<Line label="Last upload" tone={upload.tone}>
					{upload.text}
				</Line>
			),
		},
		...(facts
			? [
					{
						key: "database",
						node: (
							<Line label="Database">{`${facts.engine} · ${facts.location}`}</Line>
						),
					},
					{
						key: "watermarks",
						node: (
							<Line label="Watermarks">
								{Object.entries(facts.watermarks)
									.map(([group, sequence]) => `${group} ${sequence}`)
									.join(", ") || "nothing applied yet"}
							</Line>
						),
					},
				]
			: []),
		...(row.waitingFor
			? [
					{
						key: "waiting",
						node: (
							<Line label="Waiting for" tone="warning">
								{`package ${row.waitingFor.sequence} since ${agoText(new Date(row.waitingFor.since), now)}: ${row.waitingFor.reason}`}
							</Line>
						),
					},
				]
			: []),
		...(row.problem
			? [
					{
						key: "problem",
						node: (
							<Line label="Problem" tone="failure">
								{row.problem}
							</Line>
						),
					},
				]
			: []),
		{
			key: "sessions",
			node: (
				<Text bold>
					{latest.length === 0
						? "No sessions yet"
						: `Last sessions (${latest.length} shown, newest first)`}
				</Text>
			),
		},
		...latest.map((session) => ({
			key: `session ${session.id}`,
			node: (
				<Text
					{...toneStyle(/failed/i.test(session.status) ? "failure" : "plain")}
					wrap="truncate-end"
				>
					{displayText(
						sessionLine(session, mostRows, now, row.timeZone, machineZone),
					)}
				</Text>
			),
		})),
	];
	// Under the title; when not all fit, two of the lines are the markers.
	const view = useLineScroll(lines.length, Math.max(1, height - 1), focused);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text color="cyan" wrap="truncate-end">
				{displayText(
					`─ ${row.channelDatabase} · profile ${row.profile ?? "none"} · `,
				)}
				<Text {...toneStyle(status.tone)}>{status.text}</Text>
				{displayText(` · ${process} · Esc back ─`)}
			</Text>
			{view.scrolls && <ScrollMarker count={view.start} where="above" />}
			{lines.slice(view.start, view.end).map((line) => (
				<Box key={line.key}>{line.node}</Box>
			))}
			{view.scrolls && (
				<ScrollMarker count={lines.length - view.end} where="below" />
			)}
		</Box>
	);
}
