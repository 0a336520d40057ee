import { Box, Text } from "ink";
import { memo } from "react";
import type { RunSummary } from "../../domain/client-state.js";
import { type ClientStatusRow, countdown } from "../../domain/live-status.js";
import { displayText } from "../../domain/text.js";
import { windowStart } from "./list-page.js";

type Props = {
	rows: readonly ClientStatusRow[];
	now: Date;
	/** Lines for rows (the header line comes on top). */
	height: number;
	width: number;
	cursor: number;
	focused: boolean;
};

// What toLocaleTimeString("en-GB", {hour12: false}) gives, without building a formatter per call.
const clockTime = new Intl.DateTimeFormat("en-GB", {
	hour: "2-digit",
	minute: "2-digit",
	second: "2-digit",
	hour12: false,
});

function clock(at: Date): string {
	return clockTime.format(at);
}

/** "↓ 08:15:00 in 2:48"; times the profile gives, with no client running, read "↓≈08:15:00". */
function nextTime(
	arrow: string,
	at: Date | null,
	now: Date,
	live: boolean,
): string {
	const mark = live ? " " : "≈";
	return at === null
		? `${arrow} —`
		: `${arrow}${mark}${clock(at)} in ${countdown(at, now)}`;
}

function statusText(row: ClientStatusRow): string {
	if (row.rescheduling) return "rescheduling…";
	return row.status === "not-started" ? "not started" : row.status;
}

function lastRun(label: string, run: RunSummary | null): string {
	if (run === null) return `last ${label} none`;
	return `last ${label} ${clock(new Date(run.at))} ${run.status} ${run.packages} pkg ${run.rows} rows`;
}

/** The header: what the highlighted client did last, or how to start it. */
function detail(row: ClientStatusRow | undefined): string {
	if (!row)
		return "No channel database yet: the panel shows each one's Async Client.";
	const facts = [row.channelDatabase, row.profile ?? "no profile"];
	if (row.problem) facts.push(`⚠ ${row.problem}`);
	if (row.status === "stale")
		facts.push("no heartbeat for 10 s: killed or hung?");
	if (row.status === "stale") facts.push("≈ expected");
	else if (!row.live)
		facts.push(
			`≈ expected, no client running: cdx client --channel-db ${row.channelDatabase}`,
		);
	if (row.currentRun) {
		const run = row.currentRun;
		facts.push(
			`running ${run.direction === "download" ? "↓" : "↑"} ${run.step} ${run.done}/${run.total}`,
		);
	} else if (row.live || row.lastDownload || row.lastUpload) {
		facts.push(lastRun("↓", row.lastDownload), lastRun("↑", row.lastUpload));
	}
	return facts.join(" · ");
}

const PanelRow = memo(function PanelRow({
	row,
	now,
	selected,
}: {
	row: ClientStatusRow;
	now: Date;
	selected: boolean;
}) {
	const color =
		row.status === "running"
			? row.rescheduling
				? "yellow"
				: "green"
			: row.status === "stale"
				? "red"
				: undefined;
	return (
		<Box>
			<Box width={14} flexShrink={0}>
				<Text inverse={selected} wrap="truncate-end">
					{displayText(row.channelDatabase)}
				</Text>
			</Box>
			<Box width={15} flexShrink={0}>
				<Text color={color} dimColor={!row.live} wrap="truncate-end">
					{statusText(row)}
				</Text>
			</Box>
			<Box width={25} flexShrink={0}>
				<Text dimColor={!row.live} wrap="truncate-end">
					{nextTime("↓", row.nextDownloadAt, now, row.live)}
				</Text>
			</Box>
			<Box flexGrow={1}>
				<Text dimColor={!row.live} wrap="truncate-end">
					{nextTime("↑", row.nextUploadAt, now, row.live)}
				</Text>
			</Box>
		</Box>
	);
});

/**
 * The live panel: each channel database's Async Client, soonest next run
 * first, its next download and upload as clock time and countdown. Times
 * from a running client are bright; times computed from the profile (no
 * client running) are dim and marked "expected".
 */
export function LivePanel({
	rows,
	now,
	height,
	width,
	cursor,
	focused,
}: Props) {
	const start = windowStart(cursor, rows.length, height);
	return (
		<Box flexDirection="column" width={width}>
			<Text color={focused ? "cyan" : "gray"} wrap="truncate-end">
				{"─ "}
				{displayText(detail(rows[cursor]))}
				{" ─"}
			</Text>
			{rows.slice(start, start + height).map((row, offset) => (
				<PanelRow
					key={row.channelDatabase}
					row={row}
					now={now}
					selected={focused && start + offset === cursor}
				/>
			))}
		</Box>
	);
}
