import {
	type ChannelDataGroupFields,
	retailChannelSchemas,
} from "../domain/configuration.js";
import { dataGroupKind, groupMembers } from "../domain/data-group.js";
import { type RecordCommand, runRecordCommand } from "./record-command.js";

export const dataGroupHelp = `Usage: cdx data-group <command> [options]

Edit channel data groups: channel databases that receive the same data,
and the working folders their data packages go through.

Commands:
  list [--json]                            all channel data groups
  show NAME [--json]                       one group, with its channel databases
  add NAME --working-folders NAME [--schema SCHEMA] [--description TEXT]
  set NAME [--working-folders NAME] [--schema SCHEMA] [--description TEXT]
           [--name NEW]
  delete NAME                              (refused while it has databases)

Options:
  --working-folders NAME  the working folders, by name
  --schema SCHEMA         Retail channel schema; one of (default: the first)
${retailChannelSchemas.map((schema) => `                            "${schema}"`).join("\n")}
  --description TEXT      Description (up to 60 characters)
  --name NEW              set: rename; channel databases stay in the group
  --json                  print JSON: name, description, schema,
                          workingFolders (by name)
  --db PATH               the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

A database's group is changed with cdx channel-db set ID --data-group NAME.

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing changed).`;

export const dataGroupCommandDescription: RecordCommand<ChannelDataGroupFields> =
	{
		command: "data-group",
		kind: dataGroupKind,
		noun: "channel data group",
		argument: "the channel data group's NAME",
		help: dataGroupHelp,
		flags: {
			description: { field: "description" },
			schema: { field: "schema" },
			"working-folders": { field: "workingFolders" },
		},
		columns: [
			{ header: "NAME", field: "name" },
			{ header: "SCHEMA", field: "schema" },
			{ header: "WORKING FOLDERS", field: "workingFolders" },
			{ header: "DESCRIPTION", field: "description" },
		],
		json: {
			name: "text",
			description: "text",
			schema: "text",
			workingFolders: "text",
		},
		// The form shows, read-only, the databases in the group.
		details: (group, configuration) => {
			const members = groupMembers(configuration, group.id).map(
				(database) => database.name,
			);
			return [
				`Channel databases: ${members.length > 0 ? members.join(", ") : "(none)"}`,
			];
		},
	};

export function dataGroupCommand(args: string[]): Promise<number> {
	return runRecordCommand(dataGroupCommandDescription, args);
}
