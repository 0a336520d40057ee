import { useMemo, useState } from "react";
import { clientLiveness } from "../../domain/client-state.js";
import {
	ClientStatusTable,
	type ObservedClient,
} from "../../domain/live-status.js";
import type { Direction } from "../../domain/profile-schedule.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import { stateDirectory } from "../../store/paths.js";
import { useClientStates } from "../../store/use-client-states.js";
import { useConfiguration } from "../../store/use-configuration.js";
import { useClock, useNow } from "../clock.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import type { ShowStatus } from "../status-message.js";
import { LivePanel } from "./live-panel.js";

export const panelActions: readonly ActionId[] = [
	"runDownload",
	"runUpload",
	"up",
	"down",
	"panel",
	"back",
	"help",
	"quit",
];

/** What the panel shows of the clients' states: all of them but the heartbeat, which only makes a client running or stale. */
function shownStates(
	states: ReadonlyMap<string, ObservedClient>,
	now: Date,
): string {
	return JSON.stringify(
		[...states].map(([name, { state, problem, processGone }]) => [
			name,
			problem,
			processGone,
			state && { ...state, heartbeatAt: clientLiveness(state, now) },
		]),
	);
}

type Props = {
	store: ConfigurationStore;
	/** Lines for client rows. */
	rows: number;
	width: number;
	focused: boolean;
	onLeave: () => void;
	onStatus: ShowStatus;
	onRunNow: (channelDatabase: string, direction: Direction) => Promise<void>;
};

/** The live panel with its own once-a-second clock, so the tick re-renders only the panel. */
export function LiveSection({
	store,
	rows,
	width,
	focused,
	onLeave,
	onStatus,
	onRunNow,
}: Props) {
	const now = useNow(1000);
	const { configuration } = useConfiguration(store);
	const clock = useClock();
	// A heartbeat alone changes nothing shown: the next tick reads it.
	const observed = useClientStates(stateDirectory(store.path), (states) =>
		shownStates(states, clock.now()),
	);
	// The panel ticks every second; the table redoes only the rows whose run passed.
	const [table] = useState(() => new ClientStatusTable());
	const clients = useMemo(
		() => table.rows(configuration, observed, now),
		[table, configuration, observed, now],
	);
	const [cursor, setCursor] = useState(0);
	const current = Math.min(cursor, Math.max(0, clients.length - 1));
	const runNow = (direction: Direction) => {
		const row = clients[current];
		if (!row) return;
		void onRunNow(row.channelDatabase, direction).then(
			() =>
				row.live
					? onStatus(
							`Asked ${row.channelDatabase}'s client to ${direction} now`,
							"success",
						)
					: onStatus(
							`${row.channelDatabase}'s client is not running: it will ${direction} when started (cdx client --channel-db ${row.channelDatabase})`,
							"warning",
						),
			(error: Error) =>
				onStatus(`Could not ask for a run: ${error.message}`, "error"),
		);
	};
	useScreenReport({ title: "Live panel", actions: panelActions }, focused);
	useActions(
		panelActions,
		{
			up: () => setCursor(Math.max(0, current - 1)),
			down: () => setCursor(Math.min(clients.length - 1, current + 1)),
			runDownload: () => runNow("download"),
			runUpload: () => runNow("upload"),
			panel: onLeave,
			back: onLeave,
		},
		focused,
	);
	return (
		<LivePanel
			rows={clients}
			now={now}
			height={rows}
			width={width}
			cursor={current}
			focused={focused}
		/>
	);
}
