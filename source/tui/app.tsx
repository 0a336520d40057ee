import { Box, Text, useApp } from "ink";
import { useCallback, useMemo, useRef, useState } from "react";
import type { Collection } from "../domain/configuration.js";
import type { ConfigurationStore } from "../store/configuration-store.js";
import { type Clock, ClockContext, systemClock } from "./clock.js";
import { ColorsContext } from "./colors.js";
import { Breadcrumb } from "./components/breadcrumb.js";
import {
	ConfirmDialog,
	confirmActions,
	confirmDialogHeight,
} from "./components/confirm-dialog.js";
import { Footer } from "./components/footer.js";
import {
	HelpOverlay,
	helpEntries,
	helpRows,
} from "./components/help-overlay.js";
import {
	LiveSection,
	type PanelLayout,
	type RunNow,
} from "./components/live-section.js";
import { PickList, pickListHeight } from "./components/pick-list.js";
import { StatusLine } from "./components/status-line.js";
import { TooSmall } from "./components/too-small.js";
import { KeysEnabledContext, useLatestInput } from "./hooks/use-actions.js";
import {
	useConfiguration,
	useWatchedDatabase,
} from "./hooks/use-configuration.js";
import { useStatusMessage } from "./hooks/use-status-message.js";
import { useTerminalSize } from "./hooks/use-terminal-size.js";
import {
	actionFor,
	defaultKeymap,
	type Keymap,
	KeymapContext,
	keyName,
} from "./keymap.js";
import {
	type FormEntry,
	formForCollection,
	forms,
	navigationTree,
	pathToForm,
} from "./navigation.js";
import { ScreenContext, type ScreenReport } from "./screen-context.js";
import {
	NavigationScreen,
	navigationActions,
} from "./screens/navigation-screen.js";
import { ParametersScreen } from "./screens/parameters-screen.js";
import { RecordScreen } from "./screens/record-screen.js";
import { SessionsScreen } from "./screens/sessions-screen.js";

/** The smallest terminal the layout is made for. */
export const minimumSize = { columns: 80, rows: 24 };

type Overlay = "help" | "goto" | "quit" | null;

/** An open form. Following a link opens another on top; Esc goes back down. */
type OpenForm = { form: FormEntry; initialName?: string; key: number };

const navigationReport: ScreenReport = {
	title: "Navigation",
	actions: navigationActions,
};
const quitQuestion = "Quit and drop your unsaved changes?";
const formTitles = forms.map((form) => form.title);
const formSummary = (title: string) =>
	forms.find((form) => form.title === title)?.summary ?? "";

// Who a status message belongs to: it is shown only while that screen is in front.
const navigationOwner = "navigation";
const panelOwner = "panel";
const formOwner = (key: number) => `form ${key}`;

type Props = {
	store: ConfigurationStore;
	clock?: Clock;
	/** Asks a channel database's client to run a direction now (a request file it watches). */
	runNow?: RunNow;
	/** The machine's time zone: times in another zone name it. */
	machineZone?: string;
	/** False when the operator asked for no colour (NO_COLOR). */
	colors?: boolean;
	keymap?: Keymap;
};

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The lines the screen above the live panel keeps at least: a form with its preview, most of the navigation tree. */
const screenMinimumRows = 14;

const noRunNow = () =>
	Promise.reject(new Error("run now is not available here"));

function sameReport(a: ScreenReport, b: ScreenReport): boolean {
	return (
		a.title === b.title &&
		a.actions.length === b.actions.length &&
		a.actions.every((action, index) => action === b.actions[index]) &&
		JSON.stringify(a.disabled ?? {}) === JSON.stringify(b.disabled ?? {})
	);
}

/** The full-screen shell: breadcrumb, navigation or the open forms, status line and footer. */
export function App({
	store,
	clock = systemClock,
	runNow = noRunNow,
	machineZone = localZone,
	colors = true,
	keymap = defaultKeymap,
}: Props) {
	const { exit } = useApp();
	const terminal = useTerminalSize();
	const tooSmall =
		terminal.columns < minimumSize.columns || terminal.rows < minimumSize.rows;
	// While too small the screens wait hidden, laid out for the smallest size they fit.
	const columns = Math.max(terminal.columns, minimumSize.columns);
	const rows = Math.max(terminal.rows, minimumSize.rows);
	useWatchedDatabase(store);
	const { configuration, problem } = useConfiguration(store);

	const [stack, setStack] = useState<OpenForm[]>([]);
	const [lastFormId, setLastFormId] = useState<string | null>(null);
	const [navigationPath, setNavigationPath] = useState([navigationTree.label]);
	const [overlay, setOverlay] = useState<Overlay>(null);
	const [panelFocused, setPanelFocused] = useState(false);
	const messages = useStatusMessage(clock);
	const [panelLayout, setPanelLayout] = useState<PanelLayout>({
		lines: 4,
		wholeScreen: false,
	});
	const [screenReport, setReport] = useState<ScreenReport | null>(null);
	const [askingToQuit, setAskingToQuit] = useState(false);
	const [helpOffset, setHelpOffset] = useState(0);
	const latestReport = useRef<ScreenReport | null>(null);
	const channel = useMemo(
		() => ({
			latest: latestReport,
			unsaved: new Set<string>(),
			// Screens report again whenever they render new keys; an equal report changes nothing.
			show: (next: ScreenReport) =>
				setReport((before) =>
					before && sameReport(before, next) ? before : next,
				),
		}),
		[],
	);
	const nextKey = useRef(0);

	const top = stack.at(-1);
	const onNavigation = top === undefined && overlay !== "goto" && !panelFocused;
	const report = onNavigation
		? navigationReport
		: (screenReport ?? navigationReport);

	// Ink clears the whole screen on every render once the frame is as tall as
	// the terminal; one line less keeps redraws incremental.
	const frameHeight = rows - 1;
	// The live panel takes the lines the screen above does not need; its detail view takes them all.
	const panelRows = Math.max(
		3,
		Math.min(
			panelLayout.lines,
			frameHeight - 3 - (panelLayout.wholeScreen ? 0 : screenMinimumRows),
		),
	);
	const bodyHeight = frameHeight - 3 - panelRows;
	const screensActive = overlay === null && !panelFocused;
	// The go-to prompt lists every form at once when the body has room; the screen keeps a few lines.
	const gotoHeight = pickListHeight(
		formTitles,
		formSummary,
		columns,
		bodyHeight - 3,
	);
	const quitHeight = confirmDialogHeight(quitQuestion, columns, bodyHeight);
	const screenHeight =
		overlay === "goto"
			? bodyHeight - gotoHeight
			: overlay === "quit"
				? bodyHeight - quitHeight
				: bodyHeight;

	const open = useCallback((form: FormEntry) => {
		setStack([{ form, key: nextKey.current++ }]);
		setOverlay(null);
	}, []);
	const { say } = messages;
	const follow = useCallback(
		(collection: Collection, name: string) => {
			const form = formForCollection(collection);
			if (!form) return;
			const key = nextKey.current++;
			setStack((before) => [...before, { form, initialName: name, key }]);
			say(formOwner(key), `${keyName(keymap.back)} goes back`, "info");
		},
		[say, keymap.back],
	);
	const back = useCallback(() => {
		setStack((before) => {
			const leaving = before.at(-1);
			if (before.length === 1 && leaving) setLastFormId(leaving.form.id);
			return before.slice(0, -1);
		});
	}, []);

	const quit = () => {
		if (channel.unsaved.size === 0) exit();
		else if (tooSmall) setAskingToQuit(true);
		else setOverlay("quit");
	};

	const frontOwner = panelFocused
		? panelOwner
		: top
			? formOwner(top.key)
			: navigationOwner;
	// Shell keys: they work on any screen that offers them, and never while typing.
	useLatestInput((input, key) => {
		messages.keyPressed();
		const quitting = actionFor(keymap, ["quit", "interrupt"], input, key);
		if (tooSmall) {
			// Only quitting works here; the screens behind keep their state.
			if (quitting && !askingToQuit) quit();
			return;
		}
		if (overlay === "help") {
			const scroll = actionFor(
				keymap,
				["up", "down", "pageUp", "pageDown"],
				input,
				key,
			);
			const entries = helpEntries(report.actions).length;
			const rows = helpRows(bodyHeight);
			const step =
				scroll === "up"
					? -1
					: scroll === "down"
						? 1
						: scroll === "pageUp"
							? -rows
							: rows;
			if (scroll)
				setHelpOffset((offset) =>
					Math.max(0, Math.min(entries - rows, offset + step)),
				);
			else setOverlay(null);
			return;
		}
		if (overlay !== null) return;
		if (quitting === "interrupt") {
			quit();
			return;
		}
		// The screen that rendered last is in front, even before its effects ran.
		const inFront = onNavigation
			? navigationReport
			: (latestReport.current ?? report);
		const action = actionFor(keymap, inFront.actions, input, key);
		if (action === undefined) return;
		const reason = inFront.disabled?.[action];
		if (reason !== undefined) {
			say(frontOwner, reason, "warning");
			return;
		}
		switch (action) {
			case "quit":
				return quit();
			case "help":
			case "formHelp":
				setHelpOffset(0);
				return setOverlay("help");
			case "goto":
				return setOverlay("goto");
			case "panel":
				if (!panelFocused) setPanelFocused(true);
				return;
			default:
				return;
		}
	});

	const path = top ? pathToForm(navigationTree, top.form.id) : navigationPath;
	const persistent = problem ?? store.permissionWarning;
	const statusMessage =
		messages.shownTo(frontOwner) ??
		(persistent ? { text: persistent, tone: "warning" as const } : null);
	const shown = (visible: boolean) =>
		visible && overlay !== "help" ? "flex" : "none";

	return (
		<KeymapContext.Provider value={keymap}>
			<ColorsContext.Provider value={colors}>
				<ClockContext.Provider value={clock}>
					<ScreenContext.Provider value={channel}>
						{tooSmall && (
							<TooSmall
								size={terminal}
								minimum={minimumSize}
								asking={askingToQuit}
								onAnswer={(yes) => (yes ? exit() : setAskingToQuit(false))}
							/>
						)}
						{/* Hidden, not unmounted, while too small: open forms keep their drafts and dialogs. */}
						<KeysEnabledContext.Provider value={!tooSmall}>
							<Box
								display={tooSmall ? "none" : "flex"}
								flexDirection="column"
								width={columns}
								height={frameHeight}
							>
								<Breadcrumb path={path} />
								<Box
									flexDirection="column"
									height={bodyHeight}
									overflowY="hidden"
								>
									{overlay === "help" && (
										<HelpOverlay
											title={report.title}
											actions={report.actions}
											height={bodyHeight}
											offset={helpOffset}
										/>
									)}
									{/* Screens under others stay mounted, hidden, so they keep what was typed. */}
									<Box
										display={shown(top === undefined)}
										flexDirection="column"
									>
										<NavigationScreen
											configuration={configuration}
											lastFormId={lastFormId}
											height={screenHeight}
											width={Math.min(44, Math.floor(columns / 2))}
											isActive={top === undefined && screensActive}
											onOpen={open}
											onPath={setNavigationPath}
										/>
									</Box>
									{stack.map((entry) => (
										<Box
											key={entry.key}
											display={shown(entry === top)}
											flexDirection="column"
										>
											{entry.form.type === "records" ? (
												<RecordScreen
													form={entry.form}
													store={store}
													height={screenHeight}
													width={columns}
													isActive={entry === top && screensActive}
													onBack={back}
													onStatus={(text, tone) =>
														say(formOwner(entry.key), text, tone)
													}
													onFollow={follow}
													{...(entry.initialName === undefined
														? {}
														: { initialName: entry.initialName })}
												/>
											) : entry.form.type === "sessions" ? (
												<SessionsScreen
													direction={entry.form.direction}
													store={store}
													height={screenHeight}
													width={columns}
													isActive={entry === top && screensActive}
													onBack={back}
													onStatus={(text, tone) =>
														say(formOwner(entry.key), text, tone)
													}
												/>
											) : (
												<ParametersScreen
													store={store}
													height={screenHeight}
													width={columns}
													isActive={entry === top && screensActive}
													onBack={back}
													// The form closes as it saves: its message is read where it goes back to.
													onStatus={(text, tone) =>
														say(navigationOwner, text, tone)
													}
												/>
											)}
										</Box>
									))}
									{overlay === "goto" && (
										<PickList
											title="Go to"
											options={formTitles}
											width={columns}
											height={gotoHeight}
											detail={formSummary}
											emptyText="No form matches."
											onPick={(title) => {
												const form = forms.find(
													(candidate) => candidate.title === title,
												);
												if (form) open(form);
											}}
											onCancel={() => setOverlay(null)}
										/>
									)}
									{overlay === "quit" && (
										<ConfirmDialog
											question={quitQuestion}
											onAnswer={(yes) => (yes ? exit() : setOverlay(null))}
											width={columns}
											room={quitHeight}
										/>
									)}
								</Box>
								<LiveSection
									store={store}
									rows={panelRows}
									width={columns}
									focused={panelFocused && overlay === null}
									onLeave={() => setPanelFocused(false)}
									onStatus={(text, tone) => say(panelOwner, text, tone)}
									onRunNow={runNow}
									machineZone={machineZone}
									onLayout={setPanelLayout}
								/>
								<StatusLine message={statusMessage} />
								{overlay === "help" ? (
									<Text dimColor>
										{keyName(keymap.up)}/{keyName(keymap.down)} scroll the help;
										any other key closes it
									</Text>
								) : (
									<Footer
										actions={
											overlay === "quit" ? confirmActions : report.actions
										}
										width={columns}
									/>
								)}
							</Box>
						</KeysEnabledContext.Provider>
					</ScreenContext.Provider>
				</ClockContext.Provider>
			</ColorsContext.Provider>
		</KeymapContext.Provider>
	);
}
