import type { WorkingFoldersFields } from "./configuration.js";
import type { RecordKind } from "./record-kind.js";
import {
	absolutePath,
	maxDescriptionLength,
	maxNameLength,
	nameTaken,
	optionalText,
	recordName,
	validateFields,
	withProblems,
} from "./validation.js";

const labels = {
	name: "Name",
	description: "Description",
	downloadPath: "Download working folder",
	uploadPath: "Upload working folder",
} as const;

export const workingFoldersKind: RecordKind<WorkingFoldersFields> = {
	collection: "workingFolders",
	title: "Working folders",
	fields: [
		{
			key: "name",
			label: labels.name,
			header: "Name",
			kind: "text",
			maxLength: maxNameLength,
		},
		{
			key: "description",
			label: labels.description,
			header: "Description",
			kind: "text",
			maxLength: maxDescriptionLength,
		},
		{
			key: "downloadPath",
			label: labels.downloadPath,
			header: "Download folder",
			kind: "text",
		},
		{
			key: "uploadPath",
			label: labels.uploadPath,
			header: "Upload folder",
			kind: "text",
		},
	],

	validate(draft, configuration, selfId) {
		const result = validateFields<WorkingFoldersFields>(draft, {
			name: { label: labels.name, rule: recordName(maxNameLength) },
			description: {
				label: labels.description,
				rule: optionalText(maxDescriptionLength),
			},
			downloadPath: { label: labels.downloadPath, rule: absolutePath() },
			uploadPath: { label: labels.uploadPath, rule: absolutePath() },
		});
		const sameFolder =
			result.ok && result.value.downloadPath === result.value.uploadPath
				? {
						field: "uploadPath",
						label: labels.uploadPath,
						message:
							"must not be the same folder as the download working folder",
					}
				: null;
		return withProblems(result, [
			nameTaken(configuration.workingFolders, draft.name, selfId, {
				field: "name",
				label: labels.name,
				noun: "working folders set",
			}),
			sameFolder,
		]);
	},

	toDraft: (folders) => ({
		name: folders.name,
		description: folders.description,
		downloadPath: folders.downloadPath,
		uploadPath: folders.uploadPath,
	}),

	nameOf: (folders) => folders.name,

	emptyDraft: () => ({
		name: "",
		description: "",
		downloadPath: "",
		uploadPath: "",
	}),

	usedBy: (configuration, id) =>
		configuration.dataGroups
			.filter((group) => group.workingFoldersId === id)
			.map((group) => `channel data group ${group.name}`),
};
