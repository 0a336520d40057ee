import type { Collection, Configuration } from "../domain/configuration.js";
import { recordsOf } from "../domain/record-kind.js";
import { parametersToDraft } from "../domain/scheduler-parameters.js";
import { channelDatabaseCommandDescription } from "./channel-db.js";
import { dataGroupCommandDescription } from "./data-group.js";
import { parametersJson } from "./parameters.js";
import { profileCommandDescription } from "./profile.js";
import type { AnyRecordCommand } from "./record-command.js";
import { draftToJson } from "./record-json.js";
import { recordToJson } from "./record-output.js";
import { workingFoldersCommandDescription } from "./working-folders.js";

/** Marks a file as a cdx export, so import refuses db.json or any other JSON. */
export const exportFormat = "cdx-scheduler configuration";
export const exportFormatVersion = 1;

/**
 * The forms of an export, in the order import checks them: a record comes
 * after the records it links to, so every link resolves within the file.
 */
export const exportSections: {
	collection: Collection;
	command: AnyRecordCommand;
}[] = [
	{
		collection: "workingFolders",
		command: workingFoldersCommandDescription as AnyRecordCommand,
	},
	{
		collection: "dataGroups",
		command: dataGroupCommandDescription as AnyRecordCommand,
	},
	{
		collection: "profiles",
		command: profileCommandDescription as AnyRecordCommand,
	},
	{
		collection: "channelDatabases",
		command: channelDatabaseCommandDescription as AnyRecordCommand,
	},
];

/**
 * The whole configuration as `cdx export` prints it: each record as its
 * form's --json shows it (links by name), plus a secret field only in its
 * encrypted, stored form (passwordSecret).
 */
export function toExportDocument(
	configuration: Configuration,
): Record<string, unknown> {
	const document: Record<string, unknown> = {
		format: exportFormat,
		formatVersion: exportFormatVersion,
	};
	for (const { collection, command } of exportSections) {
		const secret = command.kind.secret;
		document[collection] = recordsOf(configuration, collection).map(
			(record) => ({
				...recordToJson(command, record, configuration),
				...(secret ? { [secret.stored]: record[secret.stored] } : {}),
			}),
		);
	}
	document.parameters = draftToJson(
		parametersToDraft(configuration.parameters),
		parametersJson,
	);
	return document;
}
