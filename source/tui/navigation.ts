import { profileKind } from "../domain/profile.js";
import type { AnyRecordKind } from "../domain/record-kind.js";

/** A form that works: reachable from the tree and from the go-to prompt. */
export type FormEntry = {
	id: string;
	title: string;
	summary: string;
	kind: AnyRecordKind;
	/** The list page's columns, by field key, with their widths (0 = take what is left). */
	columns: Column[];
};

export type Column = { field: string; width: number };

export type NavigationNode = {
	label: string;
	children?: NavigationNode[];
	form?: FormEntry;
};

export const asyncServerProfileForm: FormEntry = {
	id: "async-server-profile",
	title: profileKind.title,
	summary:
		"How often each Async Client downloads data packages from headquarters and uploads the store's data, in minutes.",
	kind: profileKind,
	columns: [
		{ field: "name", width: 21 },
		{ field: "description", width: 0 },
		{ field: "downloadIntervalMinutes", width: 15 },
		{ field: "uploadIntervalMinutes", width: 13 },
	],
};

export const forms: FormEntry[] = [asyncServerProfileForm];

/** The ERP menu path operators know; only forms that work are listed. */
export const navigationTree: NavigationNode = {
	label: "Retail",
	children: [
		{
			label: "Setup",
			children: [
				{
					label: "Retail scheduler",
					children: [
						{
							label: "Channel integration",
							children: [
								{
									label: asyncServerProfileForm.title,
									form: asyncServerProfileForm,
								},
							],
						},
					],
				},
			],
		},
	],
};

/** A node as one row of the tree: its depth and the labels from the root to it. */
export type NavigationRow = {
	node: NavigationNode;
	depth: number;
	path: string[];
};

/** The rows of the tree as shown: children of collapsed folders are hidden. */
export function visibleRows(
	root: NavigationNode,
	collapsed: ReadonlySet<string>,
): NavigationRow[] {
	const rows: NavigationRow[] = [];
	const visit = (node: NavigationNode, depth: number, parents: string[]) => {
		const path = [...parents, node.label];
		rows.push({ node, depth, path });
		if (collapsed.has(pathKey(path))) return;
		for (const child of node.children ?? []) visit(child, depth + 1, path);
	};
	visit(root, 0, []);
	return rows;
}

export function pathKey(path: string[]): string {
	return path.join("›");
}

/** The labels from the root to a form, for the breadcrumb. */
export function pathToForm(root: NavigationNode, formId: string): string[] {
	const all = visibleRows(root, new Set());
	return all.find((row) => row.node.form?.id === formId)?.path ?? [];
}
