import { type Key, useInput } from "ink";
import { createContext, useCallback, useContext, useRef } from "react";
import { type ActionId, actionFor } from "../keymap.js";

export type ActionHandlers = Partial<Record<ActionId, () => void>>;

type InputHandler = (input: string, key: Key) => void;

/**
 * False while the shell keeps the screens mounted but hidden (a terminal
 * smaller than the layout): they keep what was typed and their dialogs, and
 * none of them may take a key meant for the screen that is shown.
 */
export const KeysEnabledContext = createContext(true);

let pressCount = 0;
let countingPress = false;

/**
 * How many key presses the app has seen. Every handler of one press runs in
 * the same synchronous pass, so the first of them counts it and the count
 * stays the same for the others: a message made while handling press N knows
 * it is N's, whichever handler runs first.
 */
export function keyPresses(): number {
	return pressCount;
}

function countPress(): void {
	if (countingPress) return;
	countingPress = true;
	pressCount += 1;
	queueMicrotask(() => {
		countingPress = false;
	});
}

/**
 * useInput whose handler is read from the latest render, not from the one
 * that subscribed: keys that arrive before React re-subscribes (effects run
 * late on a busy machine) still meet the current state of the screen.
 */
export function useLatestInput(handler: InputHandler, isActive = true): void {
	const enabled = useContext(KeysEnabledContext);
	const latest = useRef(handler);
	latest.current = handler;
	const onKey = useCallback<InputHandler>((input, key) => {
		countPress();
		latest.current(input, key);
	}, []);
	useInput(onKey, { isActive: isActive && enabled });
}

/** Routes key presses to the handlers of the actions a screen offers. */
export function useActions(
	actions: readonly ActionId[],
	handlers: ActionHandlers,
	isActive = true,
): void {
	useLatestInput((input, key) => {
		const action = actionFor(actions, input, key);
		if (action) handlers[action]?.();
	}, isActive);
}
