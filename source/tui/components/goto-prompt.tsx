import fuzzysort from "fuzzysort";
import { Box, Text } from "ink";
import { useState } from "react";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import type { FormEntry } from "../navigation.js";
import { useScreenReport } from "../screen-context.js";
import { TextField } from "./text-field.js";

const promptActions: readonly ActionId[] = [
	"pick",
	"matchUp",
	"matchDown",
	"cancel",
];

/** Forms whose name matches what was typed, best first; all of them for an empty query. */
export function matchForms(
	query: string,
	forms: readonly FormEntry[],
): FormEntry[] {
	if (query.trim() === "") return [...forms];
	return fuzzysort
		.go(query.trim(), forms, { key: "title" })
		.map((result) => result.obj);
}

type Props = {
	forms: readonly FormEntry[];
	onPick: (form: FormEntry) => void;
	onCancel: () => void;
};

/** `:` then a few letters of a form's name, Enter to open it. */
export function GotoPrompt({ forms, onPick, onCancel }: Props) {
	const [query, setQuery] = useState("");
	const [highlighted, setHighlighted] = useState(0);
	const matches = matchForms(query, forms);
	const current = Math.min(highlighted, Math.max(0, matches.length - 1));
	useScreenReport({ title: "Go to", actions: promptActions, dirty: false });
	useActions(promptActions, {
		pick: () => {
			const form = matches[current];
			if (form) onPick(form);
		},
		matchUp: () => setHighlighted(Math.max(0, current - 1)),
		matchDown: () => setHighlighted(Math.min(matches.length - 1, current + 1)),
		cancel: onCancel,
	});
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Box>
				<Text color="cyan">Go to: </Text>
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
				<Text dimColor>No form matches. Esc closes.</Text>
			) : (
				matches.slice(0, 5).map((form, index) => (
					<Text key={form.id} inverse={index === current}>
						{form.title}
					</Text>
				))
			)}
		</Box>
	);
}
