import { Box, Text } from "ink";
import { useMemo } from "react";
import type { Direction } from "../../domain/profile-schedule.js";
import type { SessionEvent } from "../../domain/session-events.js";
import { displayText, numberText } from "../../domain/text.js";
import { useActions } from "../hooks/use-actions.js";
import { useLineScroll } from "../hooks/use-line-scroll.js";
import type { ActionId, DisabledReasons } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { scrollActions } from "../scroll-window.js";
import { wrapText } from "../wrap-text.js";
import { ConfirmDialog, confirmDialogHeight } from "./confirm-dialog.js";
import { ScrollMarker } from "./scroll-marker.js";
import type { Question } from "./table-view.js";

/** `channelDatabase` is the name shown; `fileKey` (the record id) names its client's files. */
export type SessionRow = SessionEvent & {
	channelDatabase: string;
	fileKey: string;
};

const detailActions: readonly ActionId[] = [
	"retrySession",
	"cancelSession",
	"back",
	"help",
	"quit",
];

/** The column of the labels. */
const labelWidth = 20;

/** A time of a session log as the screens show it: "2026-11-26 08:15:00", "—" when there is none. */
export function sessionTime(at: string | null): string {
	return at === null ? "—" : at.replace("T", " ").slice(0, 19);
}

/** A session's facts, one line each as they wrap at `width` beside their labels, the label on the first. */
function factLines(
	session: SessionRow,
	width: number,
): { key: string; label: string; text: string }[] {
	const facts: [string, string][] = [
		["Channel database", session.channelDatabase],
		["Status", session.status],
		["Package", session.package],
		["Sequence", String(session.sequence)],
		["Tries", String(session.tries)],
		["Rows affected", numberText(session.rows)],
		["Started", sessionTime(session.startedAt)],
		["Finished", sessionTime(session.finishedAt)],
		["Message", session.error ?? "—"],
	];
	return facts.flatMap(([label, value]) =>
		wrapText(displayText(value), width).map((text, index) => ({
			key: `${label} ${index}`,
			label: index === 0 ? label : "",
			text,
		})),
	);
}

type Props = {
	session: SessionRow;
	direction: Direction;
	width: number;
	height: number;
	/** In front, with no question open: its keys are live. */
	isActive: boolean;
	disabled: DisabledReasons;
	/** The question about this session, under its facts. */
	question: Question | null;
	onRetry: () => void;
	onCancel: () => void;
	onBack: () => void;
};

/** Lines a session's detail needs at least: the heading and its nine facts. */
export const sessionDetailMinimumRows = 10;

/**
 * One session's facts under its title. Facts that do not fit (a long error
 * message at 80×24, or a question below) scroll with ↑/↓ and PgUp/PgDn
 * between markers saying how many more lines there are.
 */
export function SessionDetail({
	session,
	direction,
	width,
	height,
	isActive,
	disabled,
	question,
	onRetry,
	onCancel,
	onBack,
}: Props) {
	const lines = useMemo(
		() => factLines(session, width - labelWidth),
		[session, width],
	);
	// A question leaves the title and three lines of facts: a marker, a fact, a marker.
	const questionRoom = Math.max(3, height - 4);
	const questionLines = question
		? confirmDialogHeight(question.text, width, questionRoom)
		: 0;
	const view = useLineScroll(
		lines.length,
		Math.max(1, height - 1 - questionLines),
		isActive,
	);
	useScreenReport(
		{
			title: `${direction} session`,
			actions: view.scrolls
				? [...detailActions, ...scrollActions]
				: detailActions,
			disabled,
			minimumRows: sessionDetailMinimumRows,
		},
		isActive,
	);
	useActions(
		detailActions,
		{ retrySession: onRetry, cancelSession: onCancel, back: onBack },
		isActive,
		disabled,
	);
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				{direction === "download" ? "Download" : "Upload"} session{" "}
				{displayText(session.id)}
			</Text>
			{view.scrolls && <ScrollMarker count={view.start} where="above" />}
			{lines.slice(view.start, view.end).map((line) => (
				<Box key={line.key}>
					<Box width={labelWidth} flexShrink={0}>
						<Text dimColor>{line.label}</Text>
					</Box>
					<Text wrap="truncate-end">{line.text}</Text>
				</Box>
			))}
			{view.scrolls && (
				<ScrollMarker count={lines.length - view.end} where="below" />
			)}
			{question && (
				<ConfirmDialog
					question={question.text}
					onAnswer={question.onAnswer}
					width={width}
					room={questionRoom}
				/>
			)}
		</Box>
	);
}
