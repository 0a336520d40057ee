import { Text } from "ink";
import { displayText } from "../../domain/text.js";
import { type Color, useColor } from "../colors.js";
import type { StatusMessage, Tone } from "../status-message.js";

const looks: Record<Tone, { symbol: string; color?: Color }> = {
	error: { symbol: "✗ ", color: "red" },
	warning: { symbol: "⚠ ", color: "yellow" },
	success: { symbol: "✓ ", color: "green" },
	info: { symbol: "" },
};

/** The one line of messages over the footer: its symbol says the tone without colour too. */
export function StatusLine({ message }: { message: StatusMessage | null }) {
	const color = useColor();
	if (message === null) return <Text> </Text>;
	const { symbol, color: toneColor } = looks[message.tone];
	return (
		<Text
			{...(toneColor ? { color: color(toneColor) } : {})}
			wrap="truncate-end"
		>
			{symbol}
			{displayText(message.text)}
		</Text>
	);
}
