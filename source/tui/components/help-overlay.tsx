import { Box, Text } from "ink";
import { countOf } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";

type Props = {
	title: string;
	actions: readonly ActionId[];
	height: number;
	/** The first entry shown, when they do not all fit. */
	offset: number;
};

/** The actions the help lists for a screen: its own, and Ctrl+C, which works on every one. */
export function helpEntries(actions: readonly ActionId[]): ActionId[] {
	return [...new Set<ActionId>([...actions, "interrupt"])];
}

/** Lines of entries the overlay has room for: border, title, the two markers. */
export function helpRows(height: number): number {
	return Math.max(1, height - 5);
}

/** Every key of the current screen with what it does; ↑/↓ scroll it, any other key closes it. */
export function HelpOverlay({ title, actions, height, offset }: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const entries = helpEntries(actions);
	const rows = helpRows(height);
	const start = Math.max(0, Math.min(offset, entries.length - rows));
	const shown = entries.slice(start, start + rows);
	const below = entries.length - start - shown.length;
	const labelWidth =
		Math.max(...entries.map((action) => keymap[action].keyLabel.length)) + 2;
	return (
		<Box
			flexDirection="column"
			borderStyle="round"
			paddingX={1}
			height={height}
		>
			<Text bold>Keys: {title}</Text>
			<Text dimColor>
				{start > 0
					? `▲ ${countOf(start, "more key")} (${keyName(keymap.up)})`
					: " "}
			</Text>
			{shown.map((action) => (
				<Box key={action}>
					<Box width={labelWidth} flexShrink={0}>
						<Text color={color("cyan")}>{keymap[action].keyLabel}</Text>
					</Box>
					<Text wrap="truncate-end">{keymap[action].description}</Text>
				</Box>
			))}
			<Text dimColor>
				{below > 0
					? `▼ ${countOf(below, "more key")} (${keyName(keymap.down)}) · any other key closes`
					: "Any other key closes"}
			</Text>
		</Box>
	);
}
