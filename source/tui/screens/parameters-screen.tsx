import { useState } from "react";
import type { Draft } from "../../domain/record-kind.js";
import {
	parametersToDraft,
	schedulerParametersForm,
} from "../../domain/scheduler-parameters.js";
import { RecordForm } from "../components/record-form.js";
import { useConfiguration } from "../hooks/use-configuration.js";
import type { ScreenProps } from "../screen-context.js";

type Props = ScreenProps;

/** Retail scheduler parameters: one record, edited in place; Esc goes back. */
export function ParametersScreen({
	store,
	height,
	width,
	isActive,
	onBack,
	onStatus,
}: Props) {
	const { configuration } = useConfiguration(store);
	const { parameters } = configuration;
	// The version the form started from: a save after someone else's is refused.
	const [started, setStarted] = useState(parameters.version);
	return (
		<RecordForm
			description={schedulerParametersForm}
			configuration={configuration}
			title={schedulerParametersForm.title}
			initialDraft={parametersToDraft(parameters)}
			recordId={parameters.id}
			onSubmit={(draft: Draft) => store.saveParameters(draft, started)}
			onClose={(saved) => {
				if (saved)
					onStatus(`Saved ${schedulerParametersForm.title}`, "success");
				onBack();
			}}
			onReload={() => {
				const latest = store.getSnapshot().configuration.parameters;
				setStarted(latest.version);
				return parametersToDraft(latest);
			}}
			height={height}
			width={width}
			isActive={isActive}
		/>
	);
}
