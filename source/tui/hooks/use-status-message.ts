import { useCallback, useEffect, useState } from "react";
import type { Clock } from "../clock.js";
import {
	messageLifetimeMs,
	type StatusMessage,
	type Tone,
} from "../status-message.js";
import { keyPresses } from "./use-actions.js";

type OwnedMessage = StatusMessage & {
	/** The screen that made it: it is not shown on another. */
	owner: string;
	/** The key press it answers (or the last one before it came): the next press clears it. */
	press: number;
	at: number;
};

/**
 * The status line's message: it belongs to the screen that made it, and
 * lasts until the next key press or a few seconds, whichever comes first.
 */
export function useStatusMessage(clock: Clock) {
	const [message, setMessage] = useState<OwnedMessage | null>(null);
	const say = useCallback(
		(owner: string, text: string, tone: Tone) =>
			setMessage({
				text,
				tone,
				owner,
				press: keyPresses(),
				at: clock.now().getTime(),
			}),
		[clock],
	);
	/** Called on every key press, after or before the screens handled it. */
	const keyPressed = useCallback(
		() =>
			setMessage((before) =>
				before && before.press < keyPresses() ? null : before,
			),
		[],
	);
	useEffect(() => {
		if (message === null) return;
		const expires = message.at + messageLifetimeMs(message.tone);
		return clock.every(1000, () => {
			if (clock.now().getTime() >= expires)
				setMessage((before) => (before === message ? null : before));
		});
	}, [clock, message]);
	const shownTo = (owner: string): StatusMessage | null =>
		message?.owner === owner ? message : null;
	return { say, keyPressed, shownTo };
}
