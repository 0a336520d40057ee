import { Text } from "ink";
import { numberText } from "../../domain/text.js";
import { keyName, useKeymap } from "../keymap.js";

/**
 * The line above or below a view that scrolls: how many more lines there
 * are that way and the keys that bring them into view; blank when none.
 */
export function ScrollMarker({
	count,
	where,
}: {
	count: number;
	where: "above" | "below";
}) {
	const keymap = useKeymap();
	const keys =
		where === "above"
			? `${keyName(keymap.up)}/${keyName(keymap.pageUp)}`
			: `${keyName(keymap.down)}/${keyName(keymap.pageDown)}`;
	return (
		<Text dimColor>
			{count > 0
				? `  ${where === "above" ? "▲" : "▼"} ${numberText(count)} more ${where} (${keys})`
				: " "}
		</Text>
	);
}
