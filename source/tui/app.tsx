import { Box, Text, useApp } from "ink";
import { useCallback, useMemo, useRef, useState } from "react";
import { displayText } from "../domain/text.js";
import type { ConfigurationStore } from "../store/configuration-store.js";
import {
	useConfiguration,
	useWatchedDatabase,
} from "../store/use-configuration.js";
import { Breadcrumb } from "./components/breadcrumb.js";
import { ConfirmDialog, confirmActions } from "./components/confirm-dialog.js";
import { Footer } from "./components/footer.js";
import { GotoPrompt } from "./components/goto-prompt.js";
import { HelpOverlay } from "./components/help-overlay.js";
import { NavigationPane } from "./components/navigation-pane.js";
import { useActions, useLatestInput } from "./hooks/use-actions.js";
import { useTerminalSize } from "./hooks/use-terminal-size.js";
import type { ActionId } from "./keymap.js";
import {
	type FormEntry,
	forms,
	navigationTree,
	pathKey,
	pathToForm,
	visibleRows,
} from "./navigation.js";
import { ScreenContext, type ScreenReport } from "./screen-context.js";
import { RecordScreen } from "./screens/record-screen.js";

const navigationActions: readonly ActionId[] = [
	"open",
	"back",
	"up",
	"down",
	"goto",
	"help",
	"quit",
];

/** The smallest terminal the layout is made for. */
export const minimumSize = { columns: 80, rows: 24 };

type Overlay = "help" | "goto" | "quit" | null;

type Props = { store: ConfigurationStore };

/** The full-screen shell: breadcrumb, navigation or the open form, status line and footer. */
export function App({ store }: Props) {
	const { exit } = useApp();
	const { columns, rows } = useTerminalSize();
	useWatchedDatabase(store);
	const { configuration, problem } = useConfiguration(store);

	const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
	const [navigationCursor, setNavigationCursor] = useState(0);
	const [openForm, setOpenForm] = useState<FormEntry | null>(null);
	const [overlay, setOverlay] = useState<Overlay>(null);
	const [status, setStatus] = useState("");
	const [screenReport, setReport] = useState<ScreenReport | null>(null);
	const latestReport = useRef<ScreenReport | null>(null);
	const channel = useMemo(
		() => ({ latest: latestReport, show: setReport }),
		[],
	);

	const onNavigation = openForm === null && overlay !== "goto";
	const navigationReport = {
		title: "Navigation",
		actions: navigationActions,
		dirty: false,
	};
	const report: ScreenReport = onNavigation
		? navigationReport
		: (screenReport ?? { title: "", actions: [], dirty: false });
	const treeRows = useMemo(
		() => visibleRows(navigationTree, collapsed),
		[collapsed],
	);
	const highlighted = treeRows[Math.min(navigationCursor, treeRows.length - 1)];

	// Ink keeps an as-tall-as-the-terminal frame by clearing the whole screen
	// on every render; one line less keeps redraws incremental.
	const frameHeight = rows - 1;
	const bodyHeight = frameHeight - 3;

	const open = useCallback((form: FormEntry) => {
		setOpenForm(form);
		setOverlay(null);
		setStatus("");
		const path = pathToForm(navigationTree, form.id);
		const index = visibleRows(navigationTree, new Set()).findIndex(
			(row) => pathKey(row.path) === pathKey(path),
		);
		setCollapsed(new Set());
		setNavigationCursor(Math.max(0, index));
	}, []);

	const toggle = (key: string, expand: boolean) =>
		setCollapsed((before) => {
			const next = new Set(before);
			if (expand) next.delete(key);
			else next.add(key);
			return next;
		});

	useActions(
		navigationActions,
		{
			up: () => setNavigationCursor((index) => Math.max(0, index - 1)),
			down: () =>
				setNavigationCursor((index) =>
					Math.min(treeRows.length - 1, index + 1),
				),
			open: () => {
				if (!highlighted) return;
				if (highlighted.node.form) open(highlighted.node.form);
				else toggle(pathKey(highlighted.path), true);
			},
			back: () => {
				if (!highlighted) return;
				const key = pathKey(highlighted.path);
				if (highlighted.node.children && !collapsed.has(key)) {
					toggle(key, false);
					return;
				}
				const parent = treeRows.findIndex(
					(row) => pathKey(row.path) === pathKey(highlighted.path.slice(0, -1)),
				);
				if (parent >= 0) setNavigationCursor(parent);
			},
		},
		openForm === null && overlay === null,
	);

	// Shell keys: they work on any screen that offers them, and never while typing.
	useLatestInput((input, key) => {
		if (overlay === "help") {
			setOverlay(null);
			return;
		}
		if (overlay !== null) return;
		// The screen that rendered last is in front, even before its effects ran.
		const inFront = onNavigation
			? navigationReport
			: (latestReport.current ?? report);
		if (key.ctrl && input === "c") {
			if (inFront.dirty) setOverlay("quit");
			else exit();
			return;
		}
		if (key.ctrl || key.meta) return;
		if (input === "q" && report.actions.includes("quit")) exit();
		else if (input === "?" && report.actions.includes("help"))
			setOverlay("help");
		else if (input === ":" && report.actions.includes("goto"))
			setOverlay("goto");
	});

	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Box flexDirection="column" height={Math.max(1, rows - 1)}>
				<Text wrap="wrap">
					Make the window larger: cdx needs {minimumSize.columns}×
					{minimumSize.rows}, this one is {columns}×{rows}. q quits.
				</Text>
			</Box>
		);
	}

	const path = openForm
		? pathToForm(navigationTree, openForm.id)
		: (highlighted?.path ?? [navigationTree.label]);
	const statusLine = problem ?? status;

	const screen = (() => {
		if (openForm) {
			return (
				<RecordScreen
					form={openForm}
					store={store}
					height={overlay === "goto" ? bodyHeight - 8 : bodyHeight}
					isActive={overlay === null}
					onBack={() => setOpenForm(null)}
					onStatus={setStatus}
				/>
			);
		}
		const form = highlighted?.node.form;
		return (
			<Box>
				<NavigationPane
					rows={treeRows}
					cursor={navigationCursor}
					collapsed={collapsed}
					height={overlay === "goto" ? bodyHeight - 8 : bodyHeight}
					width={Math.min(44, Math.floor(columns / 2))}
				/>
				<Box flexDirection="column" paddingLeft={2} flexGrow={1}>
					{form ? (
						<>
							<Text bold>{form.title}</Text>
							<Text wrap="wrap">{form.summary}</Text>
							<Text dimColor>
								{(configuration[form.kind.collection] as unknown[]).length}{" "}
								records. Enter opens the list.
							</Text>
						</>
					) : (
						<Text dimColor>
							Enter or → opens, Esc or ← closes, : goes to a form by name.
						</Text>
					)}
				</Box>
			</Box>
		);
	})();

	return (
		<ScreenContext.Provider value={channel}>
			<Box flexDirection="column" width={columns} height={frameHeight}>
				<Breadcrumb path={path} />
				<Box flexDirection="column" height={bodyHeight} overflow="hidden">
					{overlay === "help" && (
						<HelpOverlay
							title={report.title}
							actions={report.actions}
							height={bodyHeight}
						/>
					)}
					{/* Hidden, not unmounted, under the help overlay: a screen keeps its state. */}
					<Box
						display={overlay === "help" ? "none" : "flex"}
						flexDirection="column"
					>
						{screen}
					</Box>
					{overlay === "goto" && (
						<GotoPrompt
							forms={forms}
							onPick={open}
							onCancel={() => setOverlay(null)}
						/>
					)}
					{overlay === "quit" && (
						<ConfirmDialog
							question="Quit and drop your unsaved changes?"
							onAnswer={(yes) => (yes ? exit() : setOverlay(null))}
						/>
					)}
				</Box>
				<Text color={problem ? "yellow" : "green"} wrap="truncate-end">
					{displayText(statusLine) || " "}
				</Text>
				{overlay === "help" ? (
					<Text dimColor>Any key closes the help</Text>
				) : (
					<Footer
						actions={overlay === "quit" ? confirmActions : report.actions}
						width={columns}
					/>
				)}
			</Box>
		</ScreenContext.Provider>
	);
}
