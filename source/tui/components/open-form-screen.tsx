import type { Collection, Configuration } from "../../domain/configuration.js";
import { recordsOf } from "../../domain/record-kind.js";
import { schedulerParametersForm } from "../../domain/scheduler-parameters.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import type { OpenForm } from "../hooks/use-open-forms.js";
import type { FormEntry } from "../navigation.js";
import { ParametersScreen } from "../screens/parameters-screen.js";
import { RecordScreen } from "../screens/record-screen.js";
import { SessionsScreen } from "../screens/sessions-screen.js";
import type { ShowStatus } from "../status-message.js";
import { openingFormMinimumRows } from "./record-form.js";
import { listMinimumRows } from "./table-view.js";

type Props = {
	entry: OpenForm;
	store: ConfigurationStore;
	height: number;
	width: number;
	isActive: boolean;
	onBack: () => void;
	onFollow: (collection: Collection, name: string) => void;
	/** The form's own messages, shown while it is in front. */
	onStatus: ShowStatus;
	/** Messages of a form that closes as it saves, read where it goes back to. */
	onStatusAfterClose: ShowStatus;
};

/**
 * The lines a form's screen needs as it opens, before it renders: a record
 * list with the records there are, a sessions list before its logs are
 * read, the parameters' form.
 */
export function openingMinimumRows(
	form: FormEntry,
	configuration: Configuration,
): number {
	switch (form.type) {
		case "records":
			return listMinimumRows(
				recordsOf(configuration, form.kind.collection).length,
			);
		case "sessions":
			return listMinimumRows(0);
		case "parameters":
			return openingFormMinimumRows(
				schedulerParametersForm.fields.length,
				0,
				false,
			);
		default: {
			const unknown: never = form;
			return unknown;
		}
	}
}

/** The screen of one open form: a record list with its form, a sessions inquiry, or the parameters. */
export function OpenFormScreen({
	entry,
	store,
	height,
	width,
	isActive,
	onBack,
	onFollow,
	onStatus,
	onStatusAfterClose,
}: Props) {
	const shared = { store, height, width, isActive, onBack };
	switch (entry.form.type) {
		case "records":
			return (
				<RecordScreen
					{...shared}
					form={entry.form}
					onStatus={onStatus}
					onFollow={onFollow}
					{...(entry.initialName === undefined
						? {}
						: { initialName: entry.initialName })}
				/>
			);
		case "sessions":
			return (
				<SessionsScreen
					{...shared}
					direction={entry.form.direction}
					onStatus={onStatus}
				/>
			);
		case "parameters":
			return <ParametersScreen {...shared} onStatus={onStatusAfterClose} />;
		default: {
			const unknown: never = entry.form;
			return unknown;
		}
	}
}
