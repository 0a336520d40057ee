import { Box, Text } from "ink";
import { useColor } from "../colors.js";
import { type ActionId, keymap } from "../keymap.js";

type Props = { title: string; actions: readonly ActionId[]; height: number };

/** Every key of the current screen with what it does; any key closes it. */
export function HelpOverlay({ title, actions, height }: Props) {
	const color = useColor();
	const shown = actions.slice(0, Math.max(1, height - 3));
	return (
		<Box
			flexDirection="column"
			borderStyle="round"
			paddingX={1}
			height={height}
		>
			<Text bold>Keys: {title}</Text>
			{shown.map((action) => (
				<Box key={action}>
					<Box width={12} flexShrink={0}>
						<Text color={color("cyan")}>{keymap[action].keyLabel}</Text>
					</Box>
					<Text wrap="truncate-end">{keymap[action].description}</Text>
				</Box>
			))}
			<Text dimColor>Press any key to close</Text>
		</Box>
	);
}
