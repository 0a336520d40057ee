import { Box, Text } from "ink";
import { useColor } from "../colors.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";

export const confirmActions: readonly ActionId[] = ["yes", "no"];

type Props = { question: string; onAnswer: (yes: boolean) => void };

/** A y/n question; Esc and n both answer no. */
export function ConfirmDialog({ question, onAnswer }: Props) {
	const color = useColor();
	useScreenReport({ title: "Question", actions: confirmActions });
	useActions(confirmActions, {
		yes: () => onAnswer(true),
		no: () => onAnswer(false),
	});
	return (
		<Box borderStyle="round" borderColor={color("yellow")} paddingX={1}>
			<Text wrap="wrap">
				{question} <Text bold>(y/n)</Text>
			</Text>
		</Box>
	);
}
