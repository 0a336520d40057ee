import { Box, Text, useApp } from "ink";
import { useCallback, useState } from "react";
import type { ConfigurationStore } from "../store/configuration-store.js";
import { type Clock, systemClock } from "./clock.js";
import { Breadcrumb } from "./components/breadcrumb.js";
import { confirmActions } from "./components/confirm-dialog.js";
import { FrontFooter } from "./components/footer.js";
import { GoToList, goToHeight } from "./components/go-to-list.js";
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
import { OpenFormScreen } from "./components/open-form-screen.js";
import { QuitDialog, quitDialogHeight } from "./components/quit-dialog.js";
import { ShellContexts } from "./components/shell-contexts.js";
import { StatusLine } from "./components/status-line.js";
import { TooSmall } from "./components/too-small.js";
import { KeysEnabledContext, useLatestInput } from "./hooks/use-actions.js";
import {
	useConfiguration,
	useWatchedDatabase,
} from "./hooks/use-configuration.js";
import { type OpenForm, useOpenForms } from "./hooks/use-open-forms.js";
import { useScreenReports } from "./hooks/use-screen-reports.js";
import { useStatusMessage } from "./hooks/use-status-message.js";
import { useTerminalSize } from "./hooks/use-terminal-size.js";
import { actionFor, defaultKeymap, type Keymap, keyName } from "./keymap.js";
import { type FormEntry, navigationTree, pathToForm } from "./navigation.js";
import {
	NavigationScreen,
	navigationActions,
	navigationTreeWidth,
	useNavigationReport,
} from "./screens/navigation-screen.js";
import { scrollActions, scrolledOffset } from "./scroll-window.js";
import { shellLayout } from "./shell-layout.js";

/** The smallest terminal the layout is made for. */
export const minimumSize = { columns: 80, rows: 24 };

type Overlay = "help" | "goto" | "quit" | null;

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

const noRunNow = () =>
	Promise.reject(new Error("run now is not available here"));

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

	const [navigationPath, setNavigationPath] = useState([navigationTree.label]);
	const [overlay, setOverlay] = useState<Overlay>(null);
	const [panelFocused, setPanelFocused] = useState(false);
	const messages = useStatusMessage(clock);
	const [panelLayout, setPanelLayout] = useState<PanelLayout>({
		lines: 4,
		wholeScreen: false,
	});
	const navigationReport = useNavigationReport(configuration, columns, keymap);
	const navigationMinimum = navigationReport.minimumRows;
	const { channel, screenReport, formMinimum } =
		useScreenReports(navigationMinimum);
	const [askingToQuit, setAskingToQuit] = useState(false);
	const [helpOffset, setHelpOffset] = useState(0);
	const { say } = messages;
	const followed = useCallback(
		(entry: OpenForm) =>
			say(formOwner(entry.key), `${keyName(keymap.back)} goes back`, "info"),
		[say, keymap.back],
	);
	const forms = useOpenForms(followed, {
		configuration,
		opening: channel.opening,
		frontMinimum: formMinimum,
	});
	const { stack, top } = forms;
	const open = useCallback(
		(form: FormEntry) => {
			forms.open(form);
			setOverlay(null);
		},
		[forms.open],
	);

	const onNavigation = top === undefined && overlay !== "goto" && !panelFocused;
	const report = onNavigation
		? navigationReport
		: (screenReport ?? navigationReport);

	// The screen above keeps its own minimum (and room for the go-to prompt over it); the panel takes the rest.
	const { frameHeight, bodyHeight, panelRows } = shellLayout({
		rows,
		panelWanted: panelLayout.lines,
		panelWholeScreen: panelLayout.wholeScreen,
		screenMinimum:
			(top === undefined ? navigationMinimum : formMinimum) +
			(overlay === "goto" ? goToHeight(columns, rows) : 0),
	});
	const screensActive = overlay === null && !panelFocused;
	// The go-to prompt lists every form when the body has room; the screen keeps a few lines.
	const goToLines = goToHeight(columns, bodyHeight - 3);
	const quitLines = quitDialogHeight(columns, bodyHeight);
	const screenHeight =
		overlay === "goto"
			? bodyHeight - goToLines
			: overlay === "quit"
				? bodyHeight - quitLines
				: bodyHeight;

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
			const scroll = actionFor(keymap, scrollActions, input, key);
			const entries = helpEntries(report.actions).length;
			if (scroll)
				setHelpOffset((offset) =>
					scrolledOffset(offset, scroll, helpRows(bodyHeight), entries),
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
			: (channel.latest.current ?? report);
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
		<ShellContexts
			keymap={keymap}
			colors={colors}
			clock={clock}
			channel={channel}
		>
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
					<Box flexDirection="column" height={bodyHeight} overflowY="hidden">
						{overlay === "help" && (
							<HelpOverlay
								title={report.title}
								actions={report.actions}
								height={bodyHeight}
								offset={helpOffset}
							/>
						)}
						{/* Screens under others stay mounted, hidden, so they keep what was typed. */}
						<Box display={shown(top === undefined)} flexDirection="column">
							<NavigationScreen
								configuration={configuration}
								lastFormId={forms.lastFormId}
								height={screenHeight}
								width={navigationTreeWidth(columns)}
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
								<OpenFormScreen
									entry={entry}
									store={store}
									height={screenHeight}
									width={columns}
									isActive={entry === top && screensActive}
									onBack={forms.back}
									onFollow={forms.follow}
									onStatus={(text, tone) =>
										say(formOwner(entry.key), text, tone)
									}
									onStatusAfterClose={(text, tone) =>
										say(navigationOwner, text, tone)
									}
								/>
							</Box>
						))}
						{overlay === "goto" && (
							<GoToList
								width={columns}
								height={goToLines}
								onOpen={open}
								onCancel={() => setOverlay(null)}
							/>
						)}
						{overlay === "quit" && (
							<QuitDialog
								onAnswer={(yes) => (yes ? exit() : setOverlay(null))}
								width={columns}
								room={quitLines}
							/>
						)}
					</Box>
					{/* Exactly its lines, so the status line and footer end the frame. */}
					<Box
						flexDirection="column"
						height={panelRows}
						flexShrink={0}
						overflowY="hidden"
					>
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
					</Box>
					<StatusLine message={statusMessage} />
					{overlay === "help" ? (
						<Text dimColor>
							{keyName(keymap.up)}/{keyName(keymap.down)} scroll the help; any
							other key closes it
						</Text>
					) : (
						<FrontFooter
							actions={() =>
								overlay === "quit"
									? confirmActions
									: onNavigation
										? navigationActions
										: (channel.latest.current ?? report).actions
							}
							width={columns}
						/>
					)}
				</Box>
			</KeysEnabledContext.Provider>
		</ShellContexts>
	);
}
