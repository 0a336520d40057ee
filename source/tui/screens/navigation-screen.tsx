import { Box, Text } from "ink";
import { useEffect, useMemo, useState } from "react";
import type { Configuration } from "../../domain/configuration.js";
import { recordsOf } from "../../domain/record-kind.js";
import { countOf } from "../../domain/text.js";
import { NavigationPane } from "../components/navigation-pane.js";
import { useActions } from "../hooks/use-actions.js";
import { type ActionId, type Keymap, keyName, useKeymap } from "../keymap.js";
import {
	type FormEntry,
	navigationTree,
	pathKey,
	pathToForm,
	visibleRows,
} from "../navigation.js";
import type { ScreenReport } from "../screen-context.js";
import { wrappedLines } from "../scroll-window.js";

export const navigationActions: readonly ActionId[] = [
	"open",
	"back",
	"up",
	"down",
	"goto",
	"panel",
	"help",
	"quit",
];

/** The tree's columns; the description of the highlighted row takes the rest. */
export function navigationTreeWidth(columns: number): number {
	return Math.min(44, Math.floor(columns / 2));
}

/** The description's columns beside the tree (after its left padding). */
const descriptionWidth = (columns: number) =>
	columns - navigationTreeWidth(columns) - 2;

/** What is written beside the tree for a row: a form's title, summary and count, or for a folder how to move. */
function description(
	form: FormEntry | undefined,
	configuration: Configuration,
	keymap: Keymap,
): { title: string; summary: string; note: string } | { hint: string } {
	if (!form)
		return {
			hint: `${keyName(keymap.open)} opens, ${keyName(keymap.back)} closes, ${keyName(keymap.goto)} goes to a form by name.`,
		};
	return {
		title: form.title,
		summary: form.summary,
		note: recordCount(form, configuration, keyName(keymap.open)),
	};
}

/**
 * Lines the navigation needs at least, from what it shows at this width:
 * the tree from its root down to the end of its first folder (Setup: every
 * form an operator edits in view at once; the inquiries below scroll in),
 * and beside it the longest description of any row, wrapped as shown.
 */
export function navigationMinimumRows(
	configuration: Configuration,
	columns: number,
	keymap: Keymap,
): number {
	const width = descriptionWidth(columns);
	const rows = visibleRows(navigationTree, new Set());
	const [firstFolder] = navigationTree.children ?? [];
	const treeLines =
		1 + (firstFolder ? visibleRows(firstFolder, new Set()).length : 0);
	const descriptionLines = rows.map((row) => {
		const shown = description(row.node.form, configuration, keymap);
		return "hint" in shown
			? wrappedLines(shown.hint, width)
			: wrappedLines(shown.title, width) +
					wrappedLines(shown.summary, width) +
					wrappedLines(shown.note, width);
	});
	return Math.max(treeLines, ...descriptionLines);
}

/** What the shell shows for the navigation: its keys and the lines it needs at this width. */
export function useNavigationReport(
	configuration: Configuration,
	columns: number,
	keymap: Keymap,
): ScreenReport & { minimumRows: number } {
	return useMemo(
		() => ({
			title: "Navigation",
			actions: navigationActions,
			minimumRows: navigationMinimumRows(configuration, columns, keymap),
		}),
		[configuration, columns, keymap],
	);
}

type Props = {
	configuration: Configuration;
	/** The form last opened, so the cursor comes back to it. */
	lastFormId: string | null;
	height: number;
	width: number;
	isActive: boolean;
	onOpen: (form: FormEntry) => void;
	/** The labels from the root to the highlighted node, for the breadcrumb. */
	onPath: (path: string[]) => void;
};

function recordCount(
	form: FormEntry,
	configuration: Configuration,
	openKey: string,
): string {
	switch (form.type) {
		case "records":
			return `${countOf(recordsOf(configuration, form.kind.collection).length, "record")}. ${openKey} opens the list.`;
		case "parameters":
			return `One record, edited in place. ${openKey} opens it.`;
		case "sessions":
			return `From the clients' session logs on this machine. ${openKey} opens the list.`;
		default: {
			const unknown: never = form;
			return String(unknown);
		}
	}
}

/** The ERP menu as a tree: folders open and close, Enter on a form opens it. */
export function NavigationScreen({
	configuration,
	lastFormId,
	height,
	width,
	isActive,
	onOpen,
	onPath,
}: Props) {
	const keymap = useKeymap();
	const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
	const [cursor, setCursor] = useState(0);
	const rows = useMemo(
		() => visibleRows(navigationTree, collapsed),
		[collapsed],
	);
	const highlighted = rows[Math.min(cursor, rows.length - 1)];

	// Coming back from a form: the cursor is on that form, with its folders open.
	useEffect(() => {
		if (lastFormId === null) return;
		const path = pathKey(pathToForm(navigationTree, lastFormId));
		setCollapsed(new Set());
		setCursor(
			Math.max(
				0,
				visibleRows(navigationTree, new Set()).findIndex(
					(row) => pathKey(row.path) === path,
				),
			),
		);
	}, [lastFormId]);

	const highlightedPath = highlighted?.path;
	useEffect(() => {
		if (highlightedPath && isActive) onPath(highlightedPath);
	}, [highlightedPath, isActive, onPath]);

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
			up: () => setCursor((index) => Math.max(0, index - 1)),
			down: () => setCursor((index) => Math.min(rows.length - 1, index + 1)),
			open: () => {
				if (!highlighted) return;
				if (highlighted.node.form) onOpen(highlighted.node.form);
				else toggle(pathKey(highlighted.path), true);
			},
			back: () => {
				if (!highlighted) return;
				const key = pathKey(highlighted.path);
				if (highlighted.node.children && !collapsed.has(key)) {
					toggle(key, false);
					return;
				}
				const parent = rows.findIndex(
					(row) => pathKey(row.path) === pathKey(highlighted.path.slice(0, -1)),
				);
				if (parent >= 0) setCursor(parent);
			},
		},
		isActive,
	);

	const shown = description(highlighted?.node.form, configuration, keymap);
	return (
		<Box>
			<NavigationPane
				rows={rows}
				cursor={cursor}
				collapsed={collapsed}
				height={height}
				width={width}
			/>
			<Box flexDirection="column" paddingLeft={2} flexGrow={1} flexShrink={1}>
				{"hint" in shown ? (
					<Text dimColor>{shown.hint}</Text>
				) : (
					<>
						<Text bold>{shown.title}</Text>
						<Text wrap="wrap">{shown.summary}</Text>
						<Text dimColor>{shown.note}</Text>
					</>
				)}
			</Box>
		</Box>
	);
}
