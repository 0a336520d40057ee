import type { WorkingFoldersFields } from "../domain/configuration.js";
import type { Draft } from "../domain/record-kind.js";
import { quoted } from "../domain/text.js";
import { describeProblem } from "../domain/validation.js";
import { workingFoldersKind } from "../domain/working-folders.js";
import { checkWorkingFolder } from "../store/working-folder-access.js";
import { commandContext } from "./command-context.js";
import { UsageError } from "./command-line.js";
import {
	type EditContext,
	type RecordCommand,
	runRecordCommand,
} from "./record-command.js";

export const workingFoldersHelp = `Usage: cdx working-folders <command> [options]

Edit working folders: a named pair of folders, one where headquarters puts
the data packages channels download, one where channels put what they upload.

Commands:
  list [--json]                            all working folders sets
  show NAME [--json]                       one set
  add NAME --download-path PATH --upload-path PATH [--description TEXT]
           [--create]
  set NAME [--download-path PATH] [--upload-path PATH] [--description TEXT]
           [--name NEW] [--create]
  delete NAME                              (refused while a data group uses it)

Options:
  --download-path PATH  Download working folder (absolute)
  --upload-path PATH    Upload working folder (absolute, not the download one)
  --description TEXT    Description (up to 60 characters)
  --create              create folders that do not exist (mode 0700) and check
                        this user can read and write both; without it a missing
                        folder is saved with a warning on stderr
  --name NEW            set: rename; channel data groups keep using the set
  --json                print JSON: name, description, downloadPath, uploadPath
  --db PATH             the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed (a folder cannot be created or used; nothing
saved), 2 bad arguments or input (nothing changed).`;

const folderFields = ["downloadPath", "uploadPath"] as const;

function labelOf(field: (typeof folderFields)[number]): string {
	return (
		workingFoldersKind.fields.find((candidate) => candidate.key === field)
			?.label ?? field
	);
}

/**
 * With --create: the folders exist and can be used before the record is
 * saved. The form is checked first, by the same validation the save runs,
 * so a refused record never creates a folder.
 */
async function createFolders(
	draft: Draft,
	{ store, values, existing }: EditContext<WorkingFoldersFields>,
): Promise<void> {
	if (!values.create) return;
	const validated = workingFoldersKind.validate(
		draft,
		store.getSnapshot().configuration,
		existing?.id,
	);
	if (!validated.ok)
		throw new UsageError(validated.problems.map(describeProblem).join("; "));
	for (const field of folderFields) {
		const path = validated.value[field];
		const found = await checkWorkingFolder(path, { create: true });
		if (found.state === "unusable")
			throw new Error(
				`${labelOf(field)}: ${quoted(path, 200)} ${found.reason}; nothing was saved`,
			);
	}
}

/** Without --create: a folder that is missing or cannot be used is saved, with a warning. */
async function warnAboutFolders(
	record: WorkingFoldersFields,
	{ values }: EditContext<WorkingFoldersFields>,
): Promise<void> {
	if (values.create) return;
	for (const field of folderFields) {
		const path = record[field];
		const found = await checkWorkingFolder(path, { create: false });
		const problem =
			found.state === "missing"
				? "does not exist yet (--create creates it)"
				: found.state === "unusable"
					? found.reason
					: null;
		if (problem)
			commandContext().stderr.write(
				`cdx: warning: ${labelOf(field)}: ${quoted(path, 200)} ${problem}\n`,
			);
	}
}

export const workingFoldersCommandDescription: RecordCommand<WorkingFoldersFields> =
	{
		command: "working-folders",
		kind: workingFoldersKind,
		noun: "working folders",
		argument: "the working folders' NAME",
		help: workingFoldersHelp,
		flags: {
			description: { field: "description" },
			"download-path": { field: "downloadPath" },
			"upload-path": { field: "uploadPath" },
		},
		editOptions: { create: { type: "boolean" } },
		columns: [
			{ header: "NAME", field: "name" },
			{ header: "DOWNLOAD FOLDER", field: "downloadPath" },
			{ header: "UPLOAD FOLDER", field: "uploadPath" },
			{ header: "DESCRIPTION", field: "description" },
		],
		json: {
			name: "text",
			description: "text",
			downloadPath: "text",
			uploadPath: "text",
		},
		beforeSave: createFolders,
		afterSave: warnAboutFolders,
	};

export function workingFoldersCommand(args: string[]): Promise<number> {
	return runRecordCommand(workingFoldersCommandDescription, args);
}
