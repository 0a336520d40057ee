import { type FormEntry, forms } from "../navigation.js";
import { PickList } from "./pick-list.js";

/** Lines the go-to prompt takes: it lists every form at once, with a border and the query. */
export const goToHeight = forms.length + 3;

/** The go-to prompt: every form by its title, each with its summary. */
export function GoToList({
	onOpen,
	onCancel,
}: {
	onOpen: (form: FormEntry) => void;
	onCancel: () => void;
}) {
	const byTitle = (title: string) => forms.find((form) => form.title === title);
	return (
		<PickList
			title="Go to"
			options={forms.map((form) => form.title)}
			rows={forms.length}
			detail={(title) => byTitle(title)?.summary ?? ""}
			emptyText="No form matches."
			onPick={(title) => {
				const form = byTitle(title);
				if (form) onOpen(form);
			}}
			onCancel={onCancel}
		/>
	);
}
