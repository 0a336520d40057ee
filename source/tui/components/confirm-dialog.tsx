import { Box, Text } from "ink";
import { useState } from "react";
import { countOf } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { useActions } from "../hooks/use-actions.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { wrapText } from "../wrap-text.js";

export const confirmActions: readonly ActionId[] = ["yes", "no"];
const scrollingActions: readonly ActionId[] = [...confirmActions, "up", "down"];

// The round border and one column of padding on each side.
const frameColumns = 4;
const frameLines = 2;
const answerHint = "(y/n)";

/** The question as the dialog shows it, line by line, at the dialog's width. */
function questionLines(question: string, width: number): string[] {
	return wrapText(`${question} ${answerHint}`, width - frameColumns);
}

/**
 * The lines a dialog takes at `width` columns when it may take `room`: all
 * of its question and the border, or `room` when it has to scroll.
 */
export function confirmDialogHeight(
	question: string,
	width: number,
	room: number,
): number {
	return Math.min(
		Math.max(frameLines + 1, room),
		questionLines(question, width).length + frameLines,
	);
}

type Props = {
	question: string;
	onAnswer: (yes: boolean) => void;
	width: number;
	/** The most lines it may take, border included; a longer question scrolls. */
	room: number;
};

/**
 * A y/n question; Esc and n both answer no. A question longer than its room
 * (a list of folder paths at 80×24) scrolls with ↑/↓ between markers that
 * say how much is above and below, so nothing is dropped unseen.
 */
export function ConfirmDialog({ question, onAnswer, width, room }: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const lines = questionLines(question, width);
	const height = confirmDialogHeight(question, width, room);
	const scrolls = lines.length + frameLines > height;
	// Markers take two of the lines inside the border when it scrolls.
	const shownLines = scrolls
		? Math.max(1, height - frameLines - 2)
		: lines.length;
	const [offset, setOffset] = useState(0);
	const start = Math.max(0, Math.min(offset, lines.length - shownLines));
	const below = lines.length - start - shownLines;
	const actions = scrolls ? scrollingActions : confirmActions;
	useScreenReport({ title: "Question", actions });
	useActions(actions, {
		yes: () => onAnswer(true),
		no: () => onAnswer(false),
		up: () => setOffset(Math.max(0, start - 1)),
		down: () => setOffset(start + (below > 0 ? 1 : 0)),
	});
	return (
		<Box
			flexDirection="column"
			borderStyle="round"
			borderColor={color("yellow")}
			paddingX={1}
			width={width}
			flexShrink={0}
		>
			{scrolls && (
				<Text dimColor>
					{start > 0
						? `▲ ${countOf(start, "more line")} (${keyName(keymap.up)})`
						: " "}
				</Text>
			)}
			{lines.slice(start, start + shownLines).map((line, index) => {
				const last =
					start + index === lines.length - 1 && line.endsWith(answerHint);
				return (
					// biome-ignore lint/suspicious/noArrayIndexKey: lines of one text, in order
					<Text key={start + index}>
						{last ? line.slice(0, -answerHint.length) : line}
						{last && <Text bold>{answerHint}</Text>}
					</Text>
				);
			})}
			{scrolls && (
				<Text dimColor>
					{below > 0
						? `▼ ${countOf(below, "more line")} (${keyName(keymap.down)})`
						: " "}
				</Text>
			)}
		</Box>
	);
}
