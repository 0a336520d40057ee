import type { Key } from "ink";
import { createContext, useContext } from "react";
import { defaultKeymap } from "./key-bindings.js";
import type { TextEditActionId } from "./terminal/text-editing.js";

export { defaultKeymap };

/** Every action a key can trigger, anywhere in the app. */
export type ActionId =
	| "quit"
	| "interrupt"
	| "help"
	| "formHelp"
	| "goto"
	| "up"
	| "down"
	| "pageUp"
	| "pageDown"
	| "first"
	| "last"
	| "open"
	| "back"
	| "new"
	| "delete"
	| "nextField"
	| "previousField"
	| "save"
	| "cancel"
	| "reload"
	| "yes"
	| "no"
	| "pick"
	| "matchUp"
	| "matchDown"
	| "choose"
	| "follow"
	| "filter"
	| "sort"
	| "sortNext"
	| "sortPrevious"
	| "fullSync"
	| "testStore"
	| "keepFilter"
	| "panel"
	| "runDownload"
	| "runUpload"
	| "retrySession"
	| "cancelSession"
	| TextEditActionId;

type KeyFlag = {
	[K in keyof Key]-?: Key[K] extends boolean ? K : never;
}[keyof Key];

/** One way to press an action: a typed character, a named key, or Ctrl+letter. */
type KeySpec =
	| { input: string }
	| { ctrl: string }
	| { key: KeyFlag; shift?: boolean };

export type Binding = {
	keys: KeySpec[];
	/** How the keys are written in the footer and the help overlay. */
	keyLabel: string;
	description: string;
	/** Short text for the footer; bindings without one appear only in help. */
	footer?: string;
};

export type Keymap = Record<ActionId, Binding>;

/** Actions a screen shows but that cannot run right now, each with the reason said when its key is pressed. */
export type DisabledReasons = Partial<Record<ActionId, string>>;

function matches(spec: KeySpec, input: string, key: Key): boolean {
	if ("input" in spec) return !key.ctrl && !key.meta && input === spec.input;
	if ("ctrl" in spec) return key.ctrl && input === spec.ctrl;
	return key[spec.key] && Boolean(spec.shift) === key.shift;
}

/** The first of `actions` that this key press triggers. */
export function actionFor<Action extends ActionId>(
	keymap: Keymap,
	actions: readonly Action[],
	input: string,
	key: Key,
): Action | undefined {
	return actions.find((action) =>
		keymap[action].keys.some((spec) => matches(spec, input, key)),
	);
}

/** A binding's first key as a sentence names it: "Ctrl+R", "Esc", "n". */
export function keyName(binding: Binding): string {
	const first = binding.keyLabel.split("/")[0] ?? binding.keyLabel;
	return first.startsWith("^") ? `Ctrl+${first.slice(1)}` : first;
}

/** The keymap in force: the default, or one the app was started with (a test rebinds keys). */
export const KeymapContext = createContext<Keymap>(defaultKeymap);

export function useKeymap(): Keymap {
	return useContext(KeymapContext);
}
