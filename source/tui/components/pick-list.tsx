import fuzzysort from "fuzzysort";
import { Box, Text } from "ink";
import { useState } from "react";
import { displayText } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { useActions } from "../hooks/use-actions.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { TextField, textFieldActions } from "../terminal/text-field.js";

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

type Props = {
	title: string;
	options: readonly string[];
	onPick: (option: string) => void;
	onCancel: () => void;
	/** How many matches to show at once. */
	rows?: number;
	/** What to show beside an option, dimmed (a profile's schedule). */
	detail?: (option: string) => string;
	emptyText?: string;
};

/** A searchable list: type to narrow it, ↑/↓ to choose, Enter to pick, Esc to leave. */
export function PickList({
	title,
	options,
	onPick,
	onCancel,
	rows = 5,
	emptyText,
	detail,
}: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const [query, setQuery] = useState("");
	const [highlighted, setHighlighted] = useState(0);
	const matches = matchOptions(query, options);
	const current = Math.min(highlighted, Math.max(0, matches.length - 1));
	const start = Math.max(
		0,
		Math.min(current - rows + 1, matches.length - rows),
	);
	useScreenReport({ title, actions: pickReportActions });
	useActions(pickActions, {
		pick: () => {
			const option = matches[current];
			if (option !== undefined) onPick(option);
		},
		matchUp: () => setHighlighted(Math.max(0, current - 1)),
		matchDown: () => setHighlighted(Math.min(matches.length - 1, current + 1)),
		cancel: onCancel,
	});
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Box>
				<Text color={color("cyan")}>{title}: </Text>
				<TextField
					value={query}
					focus
					onChange={(next) => {
						setQuery(next);
						setHighlighted(0);
					}}
				/>
			</Box>
			{matches.length === 0 ? (
				<Text dimColor>
					{emptyText ?? "Nothing matches."} {keyName(keymap.cancel)} closes.
				</Text>
			) : (
				matches.slice(start, start + rows).map((option, offset) => {
					const facts = detail?.(option) ?? "";
					return (
						<Text
							key={option}
							inverse={start + offset === current}
							wrap="truncate-end"
						>
							{displayText(option)}
							{facts === "" ? "" : `  ${displayText(facts)}`}
						</Text>
					);
				})
			)}
		</Box>
	);
}
