import { type Key, useInput } from "ink";
import { useCallback, useRef } from "react";
import { type ActionId, actionFor } from "../keymap.js";

export type ActionHandlers = Partial<Record<ActionId, () => void>>;

/**
 * Routes key presses to the handlers of the actions a screen offers. The
 * handlers are read from the latest render, not from the one that subscribed,
 * so keys that arrive before React re-subscribes still see current state.
 */
export function useActions(
	actions: readonly ActionId[],
	handlers: ActionHandlers,
	isActive = true,
): void {
	const latest = useRef(handlers);
	latest.current = handlers;
	const onKey = useCallback(
		(input: string, key: Key) => {
			const action = actionFor(actions, input, key);
			if (action) latest.current[action]?.();
		},
		[actions],
	);
	useInput(onKey, { isActive });
}
