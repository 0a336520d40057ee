import { useEffect, useReducer, useRef, useState } from "react";
import { clientLiveness } from "../../domain/client-state.js";
import { ClientStatusTable } from "../../domain/client-status-table.js";
import type {
	ClientStatusRow,
	ObservedClient,
} from "../../domain/live-status.js";
import type { Direction } from "../../domain/profile-schedule.js";
import type { ConfigurationStore } from "../../store/configuration-store.js";
import { stateDirectory } from "../../store/paths.js";
import { useClock } from "../clock.js";
import { useActions } from "../hooks/use-actions.js";
import { useClientStates, useSessionLogs } from "../hooks/use-client-states.js";
import { useConfiguration } from "../hooks/use-configuration.js";
import { useRequestAnswer } from "../hooks/use-request-answer.js";
import type { ActionId } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { scrollActions } from "../scroll-window.js";
import type { ShowStatus } from "../status-message.js";
import { ClientDetail } from "./client-detail.js";
import { LivePanel, panelView, viewSignature } from "./live-panel.js";

export const panelActions: readonly ActionId[] = [
	"runDownload",
	"runUpload",
	"up",
	"down",
	"open",
	"panel",
	"back",
	"help",
	"quit",
];

const detailActions: readonly ActionId[] = [
	"runDownload",
	"runUpload",
	"back",
	"help",
	"quit",
];
// The detail view scrolls itself; its keys are in the footer and the help too.
const detailReportActions: readonly ActionId[] = [
	...detailActions,
	...scrollActions,
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

/** How many lines the section would like, and whether it wants the screen above too (the detail view). */
export type PanelLayout = { lines: number; wholeScreen: boolean };

/** A request id for a run-now, so the client's answer can be matched to it. */
export type RunNow = (
	channelDatabase: string,
	direction: Direction,
) => Promise<string | undefined>;

type Props = {
	store: ConfigurationStore;
	/** Lines the section may take. */
	rows: number;
	width: number;
	focused: boolean;
	/** The machine's time zone: times in another zone name it. */
	machineZone: string;
	onLeave: () => void;
	onStatus: ShowStatus;
	onRunNow: RunNow;
	onLayout: (layout: PanelLayout) => void;
};

/** The detail view, reading session logs only while it is open. */
function DetailWithSessions({
	stateFolder,
	...props
}: { stateFolder: string } & Omit<
	Parameters<typeof ClientDetail>[0],
	"sessions"
>) {
	const logs = useSessionLogs(stateFolder);
	const log = logs.get(props.row.key) ?? logs.get(props.row.channelDatabase);
	return <ClientDetail {...props} sessions={log?.sessions ?? []} />;
}

/**
 * The live panel with its own once-a-second clock, so the tick re-renders
 * only the panel. The selection is a client (its channel database's record
 * id), not a row position: it stays on that client when the rows re-sort.
 */
export function LiveSection({
	store,
	rows,
	width,
	focused,
	machineZone,
	onLeave,
	onStatus,
	onRunNow,
	onLayout,
}: Props) {
	const { configuration } = useConfiguration(store);
	const clock = useClock();
	const stateFolder = stateDirectory(store.path);
	// A heartbeat alone changes nothing shown: the next tick reads it.
	const observed = useClientStates(stateFolder, (states) =>
		shownStates(states, clock.now()),
	);
	// The panel ticks every second; the table redoes only the rows whose run passed.
	const [table] = useState(() => new ClientStatusTable());
	// The time of the last tick; a tick renders only when it changes what is shown.
	const latestTick = useRef(clock.now());
	const [, rendered] = useReducer((count: number) => count + 1, 0);
	const now = latestTick.current;
	const clients = table.rows(configuration, observed, now);
	const [selectedKey, setSelectedKey] = useState<string | null>(null);
	const [detailOpen, setDetailOpen] = useState(false);
	// Where the selection was: when its client goes away, the one now in its place is selected.
	const lastIndex = useRef(0);
	const cursorIn = (list: readonly ClientStatusRow[]) => {
		const last = Math.min(lastIndex.current, Math.max(0, list.length - 1));
		// Each tick asks: the 10,000-row search only when the client moved.
		if (selectedKey === null || list[last]?.key === selectedKey) return last;
		const found = list.findIndex((row) => row.key === selectedKey);
		return found >= 0 ? found : last;
	};
	const cursor = cursorIn(clients);
	lastIndex.current = cursor;
	const selected = clients[cursor];
	const detail = detailOpen && focused && selected !== undefined;
	const viewAt = (at: Date, list: readonly ClientStatusRow[]) =>
		panelView({
			rows: list,
			now: at,
			machineZone,
			height: rows,
			width,
			cursor: cursorIn(list),
			focused,
		});
	const view = viewAt(now, clients);
	const shownView = useRef("");
	shownView.current = viewSignature(view);
	const onTick = useRef(() => {});
	onTick.current = () => {
		const at = clock.now();
		latestTick.current = at;
		// Ten thousand expected rows change once a minute: most ticks draw nothing new.
		if (
			detail ||
			viewSignature(viewAt(at, table.rows(configuration, observed, at))) !==
				shownView.current
		)
			rendered();
	};
	useEffect(() => clock.every(1000, () => onTick.current()), [clock]);

	// The detail view asks for every line there is; the app gives what the terminal has.
	const wanted = detail ? Number.MAX_SAFE_INTEGER : view.wantedLines;
	useEffect(
		() => onLayout({ lines: wanted, wholeScreen: detail }),
		[onLayout, wanted, detail],
	);

	const asked = useRequestAnswer(
		(key) => clients.find((row) => row.key === key)?.answers,
		observed,
		onStatus,
	);
	const runNow = (direction: Direction) => {
		const row = selected;
		if (!row) return onStatus("No channel database to ask", "warning");
		void onRunNow(row.channelDatabase, direction).then(
			(request) => {
				if (!row.live) {
					onStatus(
						`${row.channelDatabase}'s client is not running: it will ${direction} when started (cdx client --channel-db ${row.channelDatabase})`,
						"warning",
					);
					return;
				}
				onStatus(
					`Asked ${row.channelDatabase}'s client to ${direction} now; waiting for its answer`,
					"info",
				);
				if (request !== undefined) asked(row.key, row.channelDatabase, request);
			},
			(error: Error) =>
				onStatus(`Could not ask for a run: ${error.message}`, "error"),
		);
	};
	const select = (index: number) => {
		const row = clients[Math.max(0, Math.min(clients.length - 1, index))];
		if (row) setSelectedKey(row.key);
	};
	useScreenReport(
		{
			title: detail ? "Client detail" : "Live panel",
			actions: detail ? detailReportActions : panelActions,
		},
		focused,
	);
	useActions(
		detail ? detailActions : panelActions,
		{
			up: () => select(cursor - 1),
			down: () => select(cursor + 1),
			open: () => {
				if (selected) {
					setSelectedKey(selected.key);
					setDetailOpen(true);
				}
			},
			runDownload: () => runNow("download"),
			runUpload: () => runNow("upload"),
			panel: onLeave,
			back: () => (detail ? setDetailOpen(false) : onLeave()),
		},
		focused,
	);
	if (detail && selected)
		return (
			<DetailWithSessions
				stateFolder={stateFolder}
				row={selected}
				configuration={configuration}
				now={now}
				machineZone={machineZone}
				width={width}
				height={rows}
				focused={focused}
			/>
		);
	return <LivePanel view={view} width={width} />;
}
