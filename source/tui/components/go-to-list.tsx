import { type FormEntry, forms } from "../navigation.js";
import { PickList, pickListHeight } from "./pick-list.js";

const titles = forms.map((form) => form.title);
const byTitle = (title: string) => forms.find((form) => form.title === title);
const summaryOf = (title: string) => byTitle(title)?.summary ?? "";

/** Lines the go-to prompt takes at `width`: every form at once when `room` allows, with a border and the query. */
export function goToHeight(width: number, room: number): number {
	return pickListHeight(titles, summaryOf, width, room);
}

/** The go-to prompt: every form by its title, each with its summary. */
export function GoToList({
	width,
	height,
	onOpen,
	onCancel,
}: {
	width: number;
	height: number;
	onOpen: (form: FormEntry) => void;
	onCancel: () => void;
}) {
	return (
		<PickList
			title="Go to"
			options={titles}
			width={width}
			height={height}
			detail={summaryOf}
			emptyText="No form matches."
			onPick={(title) => {
				const form = byTitle(title);
				if (form) onOpen(form);
			}}
			onCancel={onCancel}
		/>
	);
}
