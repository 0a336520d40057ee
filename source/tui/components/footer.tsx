import { Text } from "ink";
import { memo } from "react";
import { type ActionId, keymap } from "../keymap.js";

type Props = { actions: readonly ActionId[]; width: number };

/** The keys that work here, generated from the keymap so it never disagrees with behaviour. */
export const Footer = memo(function Footer({ actions, width }: Props) {
	const parts: string[] = [];
	let used = 0;
	for (const action of actions) {
		const { keyLabel, footer } = keymap[action];
		if (!footer) continue;
		const part = `${keyLabel} ${footer}`;
		if (used + part.length + 2 > width) break;
		parts.push(part);
		used += part.length + 2;
	}
	return (
		<Text wrap="truncate-end" dimColor>
			{parts.join("  ")}
		</Text>
	);
});
