import { type Key, Text } from "ink";
import { useRef, useState } from "react";
import { displayText, hasUnsafeCharacters } from "../../domain/text.js";
import { useLatestInput } from "../hooks/use-actions.js";

type Props = {
	value: string;
	onChange: (value: string) => void;
	focus: boolean;
	/** Shown instead of each character, for passwords. */
	mask?: string;
	/** Dimmed: the value does not count at the moment. */
	dim?: boolean;
};

type Editing = { characters: string[]; cursor: number };

/** What one key does to the text: move the cursor, delete or insert. */
function edit(
	{ characters, cursor }: Editing,
	input: string,
	key: Key,
): Editing {
	if (key.leftArrow) return { characters, cursor: Math.max(0, cursor - 1) };
	if (key.rightArrow)
		return { characters, cursor: Math.min(characters.length, cursor + 1) };
	if (key.home) return { characters, cursor: 0 };
	if (key.end) return { characters, cursor: characters.length };
	// Ink reports the Backspace key as "delete" on most terminals.
	if (key.backspace || key.delete) {
		if (cursor === 0) return { characters, cursor };
		return {
			characters: [
				...characters.slice(0, cursor - 1),
				...characters.slice(cursor),
			],
			cursor: cursor - 1,
		};
	}
	if (input === "" || hasUnsafeCharacters(input)) return { characters, cursor };
	const typed = [...input];
	return {
		characters: [
			...characters.slice(0, cursor),
			...typed,
			...characters.slice(cursor),
		],
		cursor: cursor + typed.length,
	};
}

/**
 * A one-line text input. Unlike ink-text-input it never types the letter of
 * Ctrl+S or Ctrl+N into the field, refuses control characters, and reads the
 * text from the latest key press rather than from the last render, so keys
 * that arrive together (fast typing, a paste over SSH) all land.
 */
export function TextField({
	value,
	onChange,
	focus,
	mask,
	dim = false,
}: Props) {
	const [cursor, setCursor] = useState(() => [...value].length);
	const latest = useRef<Editing>({ characters: [...value], cursor });
	latest.current = {
		characters: [...value],
		cursor: Math.min(cursor, [...value].length),
	};
	useLatestInput((input, key) => {
		const isCommand =
			key.ctrl ||
			key.meta ||
			key.tab ||
			key.return ||
			key.upArrow ||
			key.downArrow;
		if (isCommand) return;
		const before = latest.current;
		const after = edit(before, input, key);
		// Keys of the same read arrive before the next render: they build on this one.
		latest.current = after;
		setCursor(after.cursor);
		if (after.characters !== before.characters)
			onChange(after.characters.join(""));
	}, focus);

	const shown = latest.current.characters.map((character) =>
		mask === undefined ? displayText(character) : mask,
	);
	if (!focus)
		return (
			<Text dimColor={dim} wrap="truncate-end">
				{shown.join("")}
			</Text>
		);
	const at = latest.current.cursor;
	return (
		<Text wrap="truncate-start">
			{shown.slice(0, at).join("")}
			<Text inverse>{shown[at] ?? " "}</Text>
			{shown.slice(at + 1).join("")}
		</Text>
	);
}
