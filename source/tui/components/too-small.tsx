import { Box, Text } from "ink";
import { keyName, useKeymap } from "../keymap.js";
import { frameHeightFor } from "../terminal/frame-height.js";
import { wrapText } from "../wrap-text.js";
import { QuitDialog } from "./quit-dialog.js";

type Props = {
	size: { columns: number; rows: number };
	minimum: { columns: number; rows: number };
	/** Asking whether to quit with unsaved edits. */
	asking: boolean;
	onAnswer: (quit: boolean) => void;
};

/**
 * Shown while the terminal is smaller than the layout; the screens wait
 * hidden behind it. How to quit comes before the reassurance: at 20×5 the
 * end of the text is cut.
 */
export function TooSmall({ size, minimum, asking, onAnswer }: Props) {
	const explanation = `Make the window larger: cdx needs ${minimum.columns}×${minimum.rows}, this one is ${size.columns}×${size.rows}. ${keyName(useKeymap().quit)} quits. What you had open is kept.`;
	const height = frameHeightFor(size.rows);
	return (
		<Box flexDirection="column" height={height}>
			<Text wrap="wrap">{explanation}</Text>
			{asking && (
				<QuitDialog
					onAnswer={onAnswer}
					width={size.columns}
					room={height - wrapText(explanation, size.columns).length}
				/>
			)}
		</Box>
	);
}
