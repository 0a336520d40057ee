import { useInput } from "ink";
import { type ActionId, actionFor } from "../keymap.js";

export type ActionHandlers = Partial<Record<ActionId, () => void>>;

/** Routes key presses to the handlers of the actions a screen offers. */
export function useActions(
	actions: readonly ActionId[],
	handlers: ActionHandlers,
	isActive = true,
): void {
	useInput(
		(input, key) => {
			const action = actionFor(actions, input, key);
			if (action) handlers[action]?.();
		},
		{ isActive },
	);
}
