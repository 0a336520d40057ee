import type { Collection } from "../../domain/configuration.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import type { OpenForm } from "../hooks/use-open-forms.js";
import { ParametersScreen } from "../screens/parameters-screen.js";
import { RecordScreen } from "../screens/record-screen.js";
import { SessionsScreen } from "../screens/sessions-screen.js";
import type { ShowStatus } from "../status-message.js";

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
