import { type Key, Text } from "ink";
import { useRef, useState } from "react";
import { displayText } from "../../domain/text.js";
import { useLatestInput } from "../hooks/use-actions.js";
import { type ActionId, actionFor, type Keymap, useKeymap } from "../keymap.js";
import {
	editText,
	type TextAction,
	type TextEditActionId,
	type TextState,
	textState,
} from "./text-editing.js";

/** The keys a text field takes; the help of every screen with one lists them. */
export const textFieldActions = [
	"cursorLeft",
	"cursorRight",
	"lineStart",
	"lineEnd",
	"deleteBack",
	"deleteForward",
	"deleteToStart",
	"deleteToEnd",
	"deleteWordBack",
] as const satisfies readonly (ActionId & TextEditActionId)[];

/**
 * What a key does to a text field: an edit, or null when the key is the
 * screen's (other keys with a modifier, and the keys that move between
 * fields). Ctrl+S is the screen's save, never an "s" typed.
 */
export function textFieldEdit(
	keymap: Keymap,
	input: string,
	key: Key,
): TextAction | null {
	const editing = actionFor(keymap, textFieldActions, input, key);
	if (editing) return { type: editing };
	if (
		key.ctrl ||
		key.meta ||
		key.tab ||
		key.return ||
		key.upArrow ||
		key.downArrow ||
		key.escape
	)
		return null;
	return { type: "insert", text: input };
}

type Props = {
	value: string;
	onChange: (value: string) => void;
	focus: boolean;
	/** Shown instead of each character, for passwords. */
	mask?: string;
	/** Dimmed: the value does not count at the moment. */
	dim?: boolean;
	/** Characters beyond this are refused as they are typed. */
	maxLength?: number;
};

/**
 * A one-line text input whose keys go through the keymap and a reducer
 * (text-editing.ts). Unlike ink-text-input it never types the letter of
 * Ctrl+S or Ctrl+N into the field, refuses control characters, and applies
 * each key to the state the key before left rather than to the last
 * render, so keys that arrive together (fast typing, a paste over SSH) all land.
 */
export function TextField({
	value,
	onChange,
	focus,
	mask,
	dim = false,
	maxLength,
}: Props) {
	const keymap = useKeymap();
	const [cursor, setCursor] = useState(() => [...value].length);
	const latest = useRef<TextState>(textState(value, cursor));
	latest.current = textState(value, cursor);
	useLatestInput((input, key) => {
		const edit = textFieldEdit(keymap, input, key);
		if (edit === null) return;
		const before = latest.current;
		const after = editText(before, edit, maxLength);
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
