import { channelDatabaseKind } from "../domain/channel-database.js";
import type { Collection, Configuration } from "../domain/configuration.js";
import { dataGroupKind, groupMembers } from "../domain/data-group.js";
import { profileKind } from "../domain/profile.js";
import {
	type Direction,
	schedulePreview,
	scheduleSummary,
} from "../domain/profile-schedule.js";
import type {
	AnyRecordKind,
	Draft,
	DraftColumn,
} from "../domain/record-kind.js";
import { schedulerParametersForm } from "../domain/scheduler-parameters.js";
import { workingFoldersKind } from "../domain/working-folders.js";

/** A list page's column; the one that grows takes the width the others, packed to their content, leave. */
export type Column = DraftColumn & { grows?: boolean };

/** A form with a list page and a detail form, for one collection of records. */
export type RecordFormEntry = {
	type: "records";
	id: string;
	title: string;
	summary: string;
	kind: AnyRecordKind;
	/** The list page's columns, by field key or made from the draft. */
	columns: Column[];
	/** What the list calls its records: "working folders", "channel databases". */
	plural: string;
	/** Read-only records shown under the detail form, e.g. a group's databases. */
	related?: {
		label: string;
		names: (configuration: Configuration, id: string) => string[];
	};
	/** Offers "Full data sync" on the list (channel databases). */
	offersFullSync?: boolean;
	/**
	 * Records that keep a store (channel databases): the form tests it
	 * (cdx channel-db test), and a save that changes where the data is gets
	 * the guard of `cdx channel-db set`.
	 */
	keepsStore?: boolean;
	/** Fields holding folder paths: checked after a save, and created on request. */
	folderFields?: string[];
	/** Lines the form computes from the draft as it is typed. */
	preview?: (draft: Draft, now: Date) => string[];
};

/** A single record edited in place (Retail scheduler parameters). */
export type ParametersEntry = {
	type: "parameters";
	id: string;
	title: string;
	summary: string;
};

/** Download or upload sessions of the clients on this machine (an inquiry). */
export type SessionsEntry = {
	type: "sessions";
	id: string;
	title: string;
	summary: string;
	direction: Direction;
};

/** A form that works: reachable from the tree and from the go-to prompt. */
export type FormEntry = RecordFormEntry | ParametersEntry | SessionsEntry;

export type NavigationNode = {
	label: string;
	children?: NavigationNode[];
	form?: FormEntry;
};

// The kinds are typed by their own fields; the screens treat them alike.
const anyKind = (kind: unknown) => kind as AnyRecordKind;

export const asyncServerProfileForm: RecordFormEntry = {
	type: "records",
	id: "async-server-profile",
	title: profileKind.title,
	summary:
		"How often each Async Client downloads data packages from headquarters and uploads the store's data: an interval in minutes, or a cron schedule in a time zone.",
	kind: anyKind(profileKind),
	plural: "Async Server profiles",
	preview: (draft, now) => {
		const { timeZone, download, upload } = schedulePreview(draft, now);
		const times = (runs: string[] | null) => runs?.join(", ") ?? "—";
		return [
			`Next downloads (${timeZone}): ${times(download)}`,
			`Next uploads (${timeZone}):   ${times(upload)}`,
		];
	},
	columns: [
		{ field: "name" },
		{ field: "description", grows: true },
		{
			header: "Download",
			text: (draft) => scheduleSummary(draft, "download"),
		},
		{
			header: "Upload",
			text: (draft) => scheduleSummary(draft, "upload"),
		},
	],
};

export const workingFoldersForm: RecordFormEntry = {
	type: "records",
	id: "working-folders",
	title: workingFoldersKind.title,
	summary:
		"Where data packages for download to the channels are stored, and where packages uploaded from the channels are stored.",
	kind: anyKind(workingFoldersKind),
	plural: "working folders",
	folderFields: ["downloadPath", "uploadPath"],
	columns: [
		{ field: "name" },
		{ field: "downloadPath" },
		{ field: "uploadPath" },
		{ field: "description", grows: true },
	],
};

export const dataGroupForm: RecordFormEntry = {
	type: "records",
	id: "channel-data-group",
	title: dataGroupKind.title,
	summary:
		"Channel databases that subscribe to the same data. Every database in a group receives the same packages, through the group's working folders.",
	kind: anyKind(dataGroupKind),
	plural: "channel data groups",
	columns: [
		{ field: "name" },
		{ field: "schema" },
		{ field: "workingFolders" },
		{ field: "description", grows: true },
	],
	related: {
		label:
			"Channel databases in this group (change a database's group on its own form)",
		names: (configuration, id) =>
			groupMembers(configuration, id).map((database) => database.name),
	},
};

export const channelDatabaseForm: RecordFormEntry = {
	type: "records",
	id: "channel-database",
	title: channelDatabaseKind.title,
	summary:
		"One channel database, one Async Client: its data group, the credentials it uses with Async Server, its Async Server profile and its channels.",
	kind: anyKind(channelDatabaseKind),
	plural: "channel databases",
	columns: [
		{ field: "name" },
		{ field: "dataGroup" },
		{ field: "profile" },
		{ field: "channels" },
	],
	offersFullSync: true,
	keepsStore: true,
};

export const parametersForm: ParametersEntry = {
	type: "parameters",
	id: "retail-scheduler-parameters",
	title: schedulerParametersForm.title,
	summary:
		"How often a failed transfer is retried, and how many days session history and data packages are kept.",
};

export const downloadSessionsForm: SessionsEntry = {
	type: "sessions",
	id: "download-sessions",
	title: "Download sessions",
	summary:
		"What each Async Client did with the data packages from headquarters: applied, failed, waiting. Retry a failed one or cancel one whose data is bad.",
	direction: "download",
};

export const uploadSessionsForm: SessionsEntry = {
	type: "sessions",
	id: "upload-sessions",
	title: "Upload sessions",
	summary:
		"The packages each Async Client made of the store's data and put in the upload working folder.",
	direction: "upload",
};

export const forms: FormEntry[] = [
	asyncServerProfileForm,
	workingFoldersForm,
	dataGroupForm,
	channelDatabaseForm,
	parametersForm,
	downloadSessionsForm,
	uploadSessionsForm,
];

/** The form that edits a collection, for jumping along a link. */
export function formForCollection(
	collection: Collection,
): RecordFormEntry | undefined {
	return forms.find(
		(form): form is RecordFormEntry =>
			form.type === "records" && form.kind.collection === collection,
	);
}

const leaf = (form: FormEntry): NavigationNode => ({ label: form.title, form });

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
								leaf(asyncServerProfileForm),
								leaf(workingFoldersForm),
								leaf(dataGroupForm),
								leaf(channelDatabaseForm),
							],
						},
					],
				},
				{ label: "Parameters", children: [leaf(parametersForm)] },
			],
		},
		{
			label: "Inquiries",
			children: [
				{
					label: "Commerce Data Exchange",
					children: [leaf(downloadSessionsForm), leaf(uploadSessionsForm)],
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

export function pathKey(path: string[]): string {
	return path.join("›");
}

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

/** The labels from the root to a form, for the breadcrumb. */
export function pathToForm(root: NavigationNode, formId: string): string[] {
	const all = visibleRows(root, new Set());
	return all.find((row) => row.node.form?.id === formId)?.path ?? [];
}
