import fuzzysort from "fuzzysort";
import { Box, Text } from "ink";
import { useState } from "react";
import { countOf, displayText } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { fitText } from "../column-layout.js";
import { useActions } from "../hooks/use-actions.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { scrollWindow } from "../scroll-window.js";
import { TextField, textFieldActions } from "../terminal/text-field.js";
import textWidth from "../terminal/text-width.js";
import { wrapText } from "../wrap-text.js";

export const pickActions: readonly ActionId[] = [
	"pick",
	"matchUp",
	"matchDown",
	"cancel",
];
/** For the footer and help: the query is a text field. */
const pickReportActions: readonly ActionId[] = [
	...pickActions,
	...textFieldActions,
];

/** Options whose text matches what was typed (fuzzy), best first; all of them for an empty query. */
export function matchOptions(
	query: string,
	options: readonly string[],
): string[] {
	const wanted = query.trim();
	if (wanted === "") return [...options];
	return fuzzysort.go(wanted, options).map((result) => result.target);
}

// The round border and a column of padding each side; the border and the query line.
const frameColumns = 4;
const frameLines = 3;
const markerLines = 2;
/** Facts narrower than this go under the name instead of beside it. */
const narrowestFacts = 16;

type Detail = (option: string) => string;

/** One line of a choice: the name's part (blank under the first line) and the facts' part, dimmed. */
type ChoiceLine = { name: string; facts: string };

type Layout = {
	/** Columns inside the frame, after the cursor mark. */
	inner: number;
	nameWidth: number;
	/** Facts beside the name, or on the lines under it. */
	beside: boolean;
	factsWidth: number;
	/** Lines a choice takes when not highlighted. */
	briefLines: number;
};

/** The name column as wide as the longest name (up to 40% of the line), the facts beside it when there is room. */
function layoutOf(
	options: readonly string[],
	detail: Detail | undefined,
	width: number,
): Layout {
	// One column for the cursor mark.
	const inner = Math.max(2, width - frameColumns) - 1;
	const nameWidth = Math.min(
		Math.max(0, ...options.map((option) => textWidth(displayText(option)))),
		Math.floor(inner * 0.4),
	);
	const beside = inner - nameWidth - 2 >= narrowestFacts;
	return {
		inner,
		nameWidth,
		beside,
		factsWidth: beside ? inner - nameWidth - 2 : inner - 2,
		briefLines: detail && !beside ? 2 : 1,
	};
}

/**
 * One choice as its lines. The highlighted one shows its facts whole,
 * wrapped; the others take one line of facts, ending in "…" when cut.
 * Every line is as wide as the list, so the highlighted choice is one band.
 */
function choiceLines(
	option: string,
	detail: Detail | undefined,
	layout: Layout,
	expanded: boolean,
): ChoiceLine[] {
	const { inner, nameWidth, beside, factsWidth } = layout;
	const name = displayText(option);
	const facts = displayText(detail?.(option) ?? "");
	const factLines = expanded
		? wrapText(facts, factsWidth).map((line) => fitText(line, factsWidth))
		: [fitText(facts, factsWidth)];
	if (!detail) return [{ name: fitText(name, inner), facts: "" }];
	if (!beside)
		return [
			{ name: fitText(name, inner), facts: "" },
			...factLines.map((line) => ({ name: "  ", facts: line })),
		];
	return factLines.map((line, row) => ({
		name: `${fitText(row === 0 ? name : "", nameWidth)}  `,
		facts: line,
	}));
}

/**
 * The lines a pick list takes at `width` when it may take `room`: every
 * choice, whichever is highlighted, border and query included, or `room`.
 */
export function pickListHeight(
	options: readonly string[],
	detail: Detail | undefined,
	width: number,
	room: number,
): number {
	const layout = layoutOf(options, detail, width);
	const brief = frameLines + Math.max(1, options.length * layout.briefLines);
	// A long list fills its room anyway: no need to lay out each choice.
	if (brief >= room) return room;
	const longest = Math.max(
		0,
		...options.map(
			(option) =>
				choiceLines(option, detail, layout, true).length - layout.briefLines,
		),
	);
	return Math.min(room, brief + longest);
}

type Props = {
	title: string;
	options: readonly string[];
	onPick: (option: string) => void;
	onCancel: () => void;
	/** Columns and the most lines it may take, border included; more options scroll. */
	width: number;
	height: number;
	/** What to show beside an option, dimmed (a profile's schedule and description). */
	detail?: Detail;
	emptyText?: string;
	/** The choice the cursor starts on: the field's value. */
	initial?: string;
};

/**
 * A searchable list: type to narrow it, ↑/↓ to choose, Enter to pick, Esc
 * to leave. Each choice shows its facts on a line, the highlighted one
 * whole and wrapped; when they do not all fit, markers above and below say
 * how many are out of view.
 */
export function PickList({
	title,
	options,
	onPick,
	onCancel,
	width,
	height,
	emptyText,
	detail,
	initial,
}: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const [query, setQuery] = useState("");
	// By name, not position: a choice added or removed from outside leaves the cursor where it was.
	const [highlighted, setHighlighted] = useState<string | null>(
		initial ?? null,
	);
	const matches = matchOptions(query, options);
	const current = Math.max(
		0,
		highlighted === null ? 0 : matches.indexOf(highlighted),
	);
	const highlight = (index: number) =>
		setHighlighted(
			matches[Math.max(0, Math.min(matches.length - 1, index))] ?? null,
		);
	// Laid out for every option, not the matches: the columns stay put while a query is typed.
	const layout = layoutOf(options, detail, width);
	const highlightedLines = choiceLines(
		matches[current] ?? "",
		detail,
		layout,
		true,
	);
	const room = Math.max(1, height - frameLines);
	const heights = matches.map((_, index) =>
		index === current ? highlightedLines.length : layout.briefLines,
	);
	const scrolls = heights.reduce((sum, lines) => sum + lines, 0) > room;
	const window = scrollWindow(
		heights,
		current,
		scrolls ? Math.max(1, room - markerLines) : room,
	);
	useScreenReport({ title, actions: pickReportActions });
	useActions(pickActions, {
		pick: () => {
			const option = matches[current];
			if (option !== undefined) onPick(option);
		},
		matchUp: () => highlight(current - 1),
		matchDown: () => highlight(current + 1),
		cancel: onCancel,
	});
	const below = matches.length - window.end;
	return (
		<Box
			flexDirection="column"
			borderStyle="round"
			paddingX={1}
			width={width}
			flexShrink={0}
		>
			<Box>
				<Text color={color("cyan")}>{title}: </Text>
				<TextField
					value={query}
					focus
					onChange={(next) => {
						setQuery(next);
						// The best match comes first.
						setHighlighted(null);
					}}
				/>
			</Box>
			{scrolls && (
				<Text dimColor>
					{window.start > 0
						? `▲ ${countOf(window.start, "more choice")} (${keyName(keymap.matchUp)})`
						: " "}
				</Text>
			)}
			{matches.length === 0 ? (
				<Text dimColor wrap="wrap">
					{emptyText ?? "Nothing matches."} {keyName(keymap.cancel)} closes.
				</Text>
			) : (
				matches.slice(window.start, window.end).map((option, offset) => {
					const index = window.start + offset;
					const selected = index === current;
					const lines = selected
						? highlightedLines
						: choiceLines(option, detail, layout, false);
					return lines.map((line, row) => (
						<Text
							// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one choice, in order
							key={`${option}\u0000${row}`}
							inverse={selected}
							wrap="truncate-end"
						>
							{selected && row === 0 ? "›" : " "}
							{line.name}
							<Text dimColor={!selected}>{line.facts}</Text>
						</Text>
					));
				})
			)}
			{scrolls && (
				<Text dimColor>
					{below > 0
						? `▼ ${countOf(below, "more choice")} (${keyName(keymap.matchDown)})`
						: " "}
				</Text>
			)}
		</Box>
	);
}
