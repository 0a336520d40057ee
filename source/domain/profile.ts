import type { AsyncServerProfileFields } from "./configuration.js";
import type { RecordKind } from "./record-kind.js";
import {
	nameTaken,
	optionalText,
	recordName,
	validateFields,
	wholeNumber,
	withProblems,
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

	validate(draft, configuration, selfId) {
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
		return withProblems(result, [
			nameTaken(configuration.profiles, draft.name, selfId, {
				field: "name",
				label: labels.name,
				noun: "profile",
			}),
		]);
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

	usedBy: (configuration, id) =>
		configuration.channelDatabases
			.filter((database) => database.profileId === id)
			.map((database) => `channel database ${database.name}`),
};
