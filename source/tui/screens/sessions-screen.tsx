import { Box, Text } from "ink";
import { useMemo, useState } from "react";
import type { Direction } from "../../domain/profile-schedule.js";
import { canCancel, canRetry } from "../../domain/session-actions.js";
import { countOf, displayText, numberText } from "../../domain/text.js";
import {
	requestSessionAction,
	type SessionAction,
} from "../../store/client-requests.js";
import { stateDirectory } from "../../store/paths.js";
import { useClock } from "../clock.js";
import { useColor } from "../colors.js";
import type { ListColumn } from "../components/list-page.js";
import {
	SessionDetail,
	type SessionRow,
	sessionDetailMinimumRows,
	sessionTime,
} from "../components/session-detail.js";
import {
	listMinimumRows,
	type Question,
	TableView,
} from "../components/table-view.js";
import { useClientStates, useSessionLogs } from "../hooks/use-client-states.js";
import { useConfiguration } from "../hooks/use-configuration.js";
import { useRequestAnswer } from "../hooks/use-request-answer.js";
import type { ActionId, DisabledReasons } from "../keymap.js";
import { type ScreenProps, useOpening } from "../screen-context.js";

const sessionActions: readonly ActionId[] = [
	"open",
	"retrySession",
	"cancelSession",
];

const columns: ListColumn[] = [
	{ header: "Started" },
	{ header: "Channel DB" },
	{ header: "Status" },
	{ header: "Tries", alignRight: true },
	{ header: "Rows", alignRight: true },
	{ header: "Package", grows: true },
];

/** A session's row key: by its client's file key, so renaming the channel database keeps the cursor on it. */
function sessionKey(session: SessionRow): string {
	return `${session.fileKey}\u0000${session.id}`;
}

function fileName(path: string): string {
	return path.split("/").at(-1) ?? path;
}

type Props = ScreenProps & { direction: Direction };

/** Download or upload sessions of every client on this machine, newest first, with retry and cancel. */
export function SessionsScreen({
	direction,
	store,
	height,
	width,
	isActive,
	onBack,
	onStatus,
}: Props) {
	const clock = useClock();
	const color = useColor();
	const stateFolder = stateDirectory(store.path);
	const logs = useSessionLogs(stateFolder);
	const { configuration } = useConfiguration(store);
	// Only the clients' answers matter here, not their heartbeats.
	const clients = useClientStates(stateFolder, (states) =>
		JSON.stringify(
			[...states].map(([key, seen]) => [key, seen.state?.answers]),
		),
	);
	const asked = useRequestAnswer(
		(key) => clients.get(key)?.state?.answers,
		clients,
		onStatus,
	);
	const [selected, setSelected] = useState<string | null>(null);
	const [detail, setDetail] = useState(false);
	const opening = useOpening();
	// A download cancel skips its package for good: asked first.
	const [skipping, setSkipping] = useState<SessionRow | null>(null);

	const sessions = useMemo(() => {
		const rows: SessionRow[] = [];
		const names = new Map(
			configuration.channelDatabases.map((database) => [
				database.id,
				database.name,
			]),
		);
		for (const [fileKey, history] of logs) {
			const channelDatabase = names.get(fileKey) ?? fileKey;
			for (const session of history.sessions) {
				if (session.direction === direction)
					rows.push({ ...session, channelDatabase, fileKey });
			}
		}
		return rows;
	}, [logs, direction, configuration]);
	const items = useMemo(
		() =>
			sessions.map((session) => ({
				key: sessionKey(session),
				cells: [
					sessionTime(session.startedAt),
					session.channelDatabase,
					session.status,
					String(session.tries),
					numberText(session.rows),
					fileName(session.package),
				],
			})),
		[sessions],
	);
	// Lines a crash cut short or that were damaged: left out, but said.
	const unreadable = useMemo(
		() =>
			[...logs.values()].reduce(
				(lines, history) => lines + history.unreadableLines,
				0,
			),
		[logs],
	);
	const sessionAt = (key: string | null) =>
		sessions.find((session) => sessionKey(session) === key) ?? null;
	const current = sessionAt(selected);

	// The shell says these when the key is pressed; the handlers never see such a session.
	const disabledFor = (session: SessionRow | null): DisabledReasons => {
		if (!session) {
			const reason = `No ${direction} session yet`;
			return { open: reason, retrySession: reason, cancelSession: reason };
		}
		const reasons: DisabledReasons = {};
		if (!canRetry(session))
			reasons.retrySession = `Only a failed session can be retried (this one is ${session.status})`;
		if (!canCancel(session))
			reasons.cancelSession =
				session.direction === "upload"
					? "An upload cannot be canceled: its data would be lost; retry it instead"
					: `Only a waiting or failed session can be canceled (this one is ${session.status})`;
		return reasons;
	};

	const request = (
		action: SessionAction,
		current: SessionRow | null,
		confirmed = false,
	) => {
		if (!current) return;
		if (action === "cancel" && current.direction === "download" && !confirmed)
			return setSkipping(current);
		void requestSessionAction(
			stateFolder,
			current.fileKey,
			current.id,
			action,
			clock.now(),
		).then(
			(request) => {
				onStatus(
					`Asked ${current.channelDatabase}'s client to ${action} the session of ${fileName(current.package)}`,
					"info",
				);
				asked(current.fileKey, current.channelDatabase, request);
			},
			(error: Error) => onStatus(`Could not ask: ${error.message}`, "error"),
		);
	};

	const skipQuestion: Question | null = skipping && {
		text: `Skip package ${skipping.sequence} for ${displayText(skipping.channelDatabase)}? Its rows are never applied there; the packages after it go ahead.`,
		onAnswer: (yes) => {
			setSkipping(null);
			if (yes) request("cancel", skipping, true);
		},
	};
	if (detail && current)
		return (
			<SessionDetail
				key={sessionKey(current)}
				session={current}
				direction={direction}
				width={width}
				height={height}
				isActive={isActive && skipping === null}
				disabled={disabledFor(current)}
				question={skipQuestion}
				onRetry={() => request("retry", current)}
				onCancel={() => request("cancel", current)}
				onBack={() => {
					// The list comes back unfiltered, as it mounts again.
					opening(listMinimumRows(items.length));
					setDetail(false);
				}}
			/>
		);

	return (
		<Box flexDirection="column">
			{unreadable > 0 && (
				<Text color={color("yellow")} wrap="truncate-end">
					⚠ {countOf(unreadable, "line")} of the session logs could not be read
					(cut short or damaged) and {unreadable === 1 ? "is" : "are"} left out
				</Text>
			)}
			<TableView
				title={`${direction === "download" ? "Download" : "Upload"} sessions`}
				columns={columns}
				items={items}
				height={unreadable > 0 ? height - 1 : height}
				width={width}
				isActive={isActive && !detail}
				actions={sessionActions}
				onAction={(action, key) => {
					const chosen = sessionAt(key);
					setSelected(key);
					if (action === "open") {
						opening(sessionDetailMinimumRows);
						return setDetail(true);
					}
					return request(
						action === "retrySession" ? "retry" : "cancel",
						chosen,
					);
				}}
				onBack={onBack}
				selectedKey={selected}
				onSelect={setSelected}
				initialSort={{ column: 0, descending: true }}
				disabledFor={(key) => disabledFor(sessionAt(key))}
				emptyText={`No ${direction} sessions yet: they appear when a client on this machine runs (cdx client).`}
				{...(skipQuestion ? { question: skipQuestion } : {})}
			/>
		</Box>
	);
}
