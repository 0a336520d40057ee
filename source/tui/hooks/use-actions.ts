import { type Key, useInput } from "ink";
import { useCallback, useRef } from "react";
import { type ActionId, actionFor } from "../keymap.js";

export type ActionHandlers = Partial<Record<ActionId, () => void>>;

type InputHandler = (input: string, key: Key) => void;

/**
 * useInput whose handler is read from the latest render, not from the one
 * that subscribed: keys that arrive before React re-subscribes (effects run
 * late on a busy machine) still meet the current state of the screen.
 */
export function useLatestInput(handler: InputHandler, isActive = true): void {
	const latest = useRef(handler);
	latest.current = handler;
	const onKey = useCallback<InputHandler>(
		(input, key) => latest.current(input, key),
		[],
	);
	useInput(onKey, { isActive });
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
