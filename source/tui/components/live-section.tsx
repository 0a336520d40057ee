import { useMemo, useRef, useState } from "react";
import type { Configuration } from "../../domain/configuration.js";
import {
	clientStatusRows,
	type ExpectedRun,
	expectedRuns,
} from "../../domain/live-status.js";
import type { Direction } from "../../domain/profile-schedule.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import { stateDirectory } from "../../store/paths.js";
import { useClientStates } from "../../store/use-client-states.js";
import { useConfiguration } from "../../store/use-configuration.js";
import { useNow } from "../clock.js";
import { useActions } from "../hooks/use-actions.js";
import type { ActionId } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
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

/**
 * Expected runs, computed once per configuration and kept until they pass:
 * the panel ticks every second and must not redo schedule math (cron is
 * the slow part) for thousands of databases each time.
 */
function useExpectedRuns(configuration: Configuration, now: Date): ExpectedRun {
	const cache = useRef<{
		configuration: Configuration;
		runs: Map<string, Date | null>;
	} | null>(null);
	if (cache.current?.configuration !== configuration)
		cache.current = { configuration, runs: new Map() };
	const { runs } = cache.current;
	const compute = expectedRuns(configuration, now);
	return (channelDatabase: string, direction: Direction) => {
		const key = `${direction}:${channelDatabase}`;
		const known = runs.get(key);
		if (known !== undefined && (known === null || known > now)) return known;
		const next = compute(channelDatabase, direction);
		runs.set(key, next);
		return next;
	};
}

type Props = {
	store: ConfigurationStore;
	/** Lines for client rows. */
	rows: number;
	width: number;
	focused: boolean;
	onLeave: () => void;
	onStatus: (message: string) => void;
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
	const observed = useClientStates(stateDirectory(store.path));
	const expected = useExpectedRuns(configuration, now);
	const clients = useMemo(
		() => clientStatusRows(configuration, observed, now, expected),
		[configuration, observed, now, expected],
	);
	const [cursor, setCursor] = useState(0);
	const current = Math.min(cursor, Math.max(0, clients.length - 1));
	const runNow = (direction: Direction) => {
		const row = clients[current];
		if (!row) return;
		void onRunNow(row.channelDatabase, direction).then(
			() =>
				onStatus(
					row.live
						? `Asked ${row.channelDatabase}'s client to ${direction} now`
						: `${row.channelDatabase}'s client is not running: it will ${direction} when started (cdx client --channel-db ${row.channelDatabase})`,
				),
			(error: Error) => onStatus(`Could not ask for a run: ${error.message}`),
		);
	};
	useScreenReport(
		{ title: "Live panel", actions: panelActions, dirty: false },
		focused,
	);
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
