import { ConfirmDialog, confirmDialogHeight } from "./confirm-dialog.js";

const quitQuestion = "Quit and drop your unsaved changes?";

/** The lines the quit question takes at `width` columns when it may take `room`. */
export function quitDialogHeight(width: number, room: number): number {
	return confirmDialogHeight(quitQuestion, width, room);
}

type Props = {
	onAnswer: (quit: boolean) => void;
	width: number;
	room: number;
};

/** Asked before quitting drops edits that are not saved, whatever size the terminal is. */
export function QuitDialog({ onAnswer, width, room }: Props) {
	return (
		<ConfirmDialog
			question={quitQuestion}
			onAnswer={onAnswer}
			width={width}
			room={room}
		/>
	);
}
