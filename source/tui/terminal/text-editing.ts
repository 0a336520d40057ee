import { hasUnsafeCharacters } from "../../domain/text.js";

/** A one-line text being edited: its characters (code points) and where the cursor is. */
export type TextState = { characters: readonly string[]; cursor: number };

/**
 * What a key does to a text field. The names are the keymap's action ids
 * (keymap.ts), so a binding and what it does read the same.
 */
export type TextAction =
	| { type: "insert"; text: string }
	| {
			type:
				| "cursorLeft"
				| "cursorRight"
				| "lineStart"
				| "lineEnd"
				| "deleteBack"
				| "deleteForward"
				| "deleteToStart"
				| "deleteToEnd"
				| "deleteWordBack";
	  };

export type TextEditActionId = Exclude<TextAction["type"], "insert">;

export function textState(text: string, cursor?: number): TextState {
	const characters = [...text];
	return {
		characters,
		cursor: Math.min(cursor ?? characters.length, characters.length),
	};
}

/** Where Ctrl+W stops: back over spaces, then back over the word before them. */
function wordStart(characters: readonly string[], cursor: number): number {
	let at = cursor;
	while (at > 0 && /\s/u.test(characters[at - 1] ?? "")) at -= 1;
	while (at > 0 && !/\s/u.test(characters[at - 1] ?? "")) at -= 1;
	return at;
}

function cut(state: TextState, from: number, to: number): TextState {
	if (from === to) return state;
	return {
		characters: [
			...state.characters.slice(0, from),
			...state.characters.slice(to),
		],
		cursor: from,
	};
}

/**
 * One key applied to the text. Keys are applied in order, each to the
 * state the one before left, so keys of one read of the terminal all land.
 * Typed text beyond `maxLength` characters is refused as it is typed: a
 * paste into a short field keeps what fits and drops the rest at once.
 */
export function editText(
	state: TextState,
	action: TextAction,
	maxLength = Number.POSITIVE_INFINITY,
): TextState {
	const { characters, cursor } = state;
	switch (action.type) {
		case "cursorLeft":
			return { characters, cursor: Math.max(0, cursor - 1) };
		case "cursorRight":
			return { characters, cursor: Math.min(characters.length, cursor + 1) };
		case "lineStart":
			return { characters, cursor: 0 };
		case "lineEnd":
			return { characters, cursor: characters.length };
		case "deleteBack":
			return cursor === 0 ? state : cut(state, cursor - 1, cursor);
		case "deleteForward":
			return cut(state, cursor, Math.min(characters.length, cursor + 1));
		case "deleteToStart":
			return cut(state, 0, cursor);
		case "deleteToEnd":
			return cut(state, cursor, characters.length);
		case "deleteWordBack":
			return cut(state, wordStart(characters, cursor), cursor);
		case "insert": {
			if (action.text === "" || hasUnsafeCharacters(action.text)) return state;
			const room = Math.max(0, maxLength - characters.length);
			const typed = [...action.text].slice(0, room);
			if (typed.length === 0) return state;
			return {
				characters: [
					...characters.slice(0, cursor),
					...typed,
					...characters.slice(cursor),
				],
				cursor: cursor + typed.length,
			};
		}
		default: {
			const unknown: never = action;
			return unknown;
		}
	}
}
