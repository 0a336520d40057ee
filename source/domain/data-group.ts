import {
	type ChannelDatabase,
	type ChannelDataGroupFields,
	type Configuration,
	retailChannelSchemas,
	type WorkingFolders,
} from "./configuration.js";
import { nameById, pickByName, type RecordKind } from "./record-kind.js";
import {
	linkTo,
	maxDescriptionLength,
	maxNameLength,
	nameTaken,
	oneOf,
	optionalText,
	recordName,
	validateFields,
	withProblems,
} from "./validation.js";

const labels = {
	name: "Name",
	description: "Description",
	schema: "Retail channel schema",
	workingFolders: "Working folders",
} as const;

export const dataGroupKind: RecordKind<ChannelDataGroupFields> = {
	collection: "dataGroups",
	title: "Channel data group",
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
			key: "schema",
			label: labels.schema,
			header: "Schema",
			kind: "pick",
			options: () => [...retailChannelSchemas],
		},
		{
			key: "workingFolders",
			label: labels.workingFolders,
			header: "Working folders",
			...pickByName(
				"workingFolders",
				(folders) => `↓ ${folders.downloadPath} · ↑ ${folders.uploadPath}`,
			),
		},
	],

	validate(draft, configuration, selfId) {
		const result = validateFields<
			Omit<ChannelDataGroupFields, "workingFoldersId"> & {
				workingFolders: string;
			}
		>(draft, {
			name: { label: labels.name, rule: recordName(maxNameLength) },
			description: {
				label: labels.description,
				rule: optionalText(maxDescriptionLength),
			},
			schema: { label: labels.schema, rule: oneOf(retailChannelSchemas) },
			workingFolders: {
				label: labels.workingFolders,
				rule: linkTo(configuration.workingFolders, "working folders set"),
			},
		});
		const checked = withProblems(result, [
			nameTaken(configuration.dataGroups, draft.name, selfId, {
				field: "name",
				label: labels.name,
				noun: "channel data group",
			}),
		]);
		if (!checked.ok) return checked;
		const { workingFolders, ...rest } = checked.value;
		return { ok: true, value: { ...rest, workingFoldersId: workingFolders } };
	},

	toDraft: (group, configuration) => ({
		name: group.name,
		description: group.description,
		schema: group.schema,
		workingFolders: nameById(
			configuration.workingFolders,
			group.workingFoldersId,
		),
	}),

	nameOf: (group) => group.name,

	emptyDraft: () => ({
		name: "",
		description: "",
		schema: retailChannelSchemas[0],
		workingFolders: "",
	}),

	usedBy: (configuration, id) =>
		groupMembers(configuration, id).map(
			(database) => `channel database ${database.name}`,
		),
};

/** The channel databases in the channel data group `groupId`. */
export function groupMembers(
	configuration: Configuration,
	groupId: string,
): ChannelDatabase[] {
	return configuration.channelDatabases.filter(
		(database) => database.dataGroupId === groupId,
	);
}

/** The working folders a channel data group names; undefined when that set was deleted. */
export function groupFolders(
	configuration: Configuration,
	group: Pick<ChannelDataGroupFields, "workingFoldersId">,
): WorkingFolders | undefined {
	return configuration.workingFolders.find(
		(candidate) => candidate.id === group.workingFoldersId,
	);
}
