import type {
	AsyncServerProfileFields,
	Configuration,
} from "./configuration.js";
import type { Draft, RecordKind } from "./record-kind.js";
import { quoted } from "./text.js";
import {
	optionalText,
	recordName,
	sameName,
	validateFields,
	wholeNumber,
} from "./validation.js";

const labels = {
	name: "Name",
	description: "Description",
	downloadIntervalMinutes: "Data download interval in minutes",
	uploadIntervalMinutes: "Data upload interval in minutes",
} as const;

/** A day: longer intervals would leave a store without headquarters data for days. */
export const maxIntervalMinutes = 1440;

export const profileKind: RecordKind<AsyncServerProfileFields> = {
	collection: "profiles",
	title: "Async Server profile",
	fields: [
		{ key: "name", label: labels.name, header: "Name", kind: "text" },
		{
			key: "description",
			label: labels.description,
			header: "Description",
			kind: "text",
		},
		{
			key: "downloadIntervalMinutes",
			label: labels.downloadIntervalMinutes,
			header: "Download (min)",
			kind: "number",
		},
		{
			key: "uploadIntervalMinutes",
			label: labels.uploadIntervalMinutes,
			header: "Upload (min)",
			kind: "number",
		},
	],

	validate(draft: Draft, configuration: Configuration, selfId?: string) {
		const result = validateFields<AsyncServerProfileFields>(draft, {
			name: { label: labels.name, rule: recordName(20) },
			description: { label: labels.description, rule: optionalText(60) },
			downloadIntervalMinutes: {
				label: labels.downloadIntervalMinutes,
				rule: wholeNumber(1, maxIntervalMinutes),
			},
			uploadIntervalMinutes: {
				label: labels.uploadIntervalMinutes,
				rule: wholeNumber(1, maxIntervalMinutes),
			},
		});
		const taken = configuration.profiles.find(
			(profile) =>
				profile.id !== selfId &&
				sameName(profile.name, draft.name?.trim() ?? ""),
		);
		if (!taken) return result;
		const duplicate = {
			field: "name",
			label: labels.name,
			message: `another profile is already called ${quoted(taken.name)} (names are compared ignoring case)`,
		};
		return {
			ok: false,
			problems: [duplicate, ...(result.ok ? [] : result.problems)],
		};
	},

	toDraft: (profile) => ({
		name: profile.name,
		description: profile.description,
		downloadIntervalMinutes: String(profile.downloadIntervalMinutes),
		uploadIntervalMinutes: String(profile.uploadIntervalMinutes),
	}),

	nameOf: (profile) => profile.name,

	emptyDraft: () => ({
		name: "",
		description: "",
		downloadIntervalMinutes: "",
		uploadIntervalMinutes: "",
	}),

	// Channel databases will point at profiles; until they exist nothing does.
	usedBy: () => [],
};
