import type { AsyncServerProfileFields } from "../domain/configuration.js";
import { profileKind } from "../domain/profile.js";
import { scheduleSummary } from "../domain/profile-schedule.js";
import { type RecordCommand, runRecordCommand } from "./record-command.js";

export const profileHelp = `Usage: cdx profile <command> [options]

Edit Async Server profiles: how often each Async Client downloads data
packages from headquarters and uploads the store's data.

Commands:
  list [--json]                            all profiles
  show NAME [--json]                       one profile
  add NAME --download N --upload N [--description TEXT]
           [--download-cron EXPR] [--upload-cron EXPR] [--time-zone ZONE]
  set NAME [--download N] [--upload N] [--description TEXT] [--name NEW]
           [--download-cron EXPR] [--upload-cron EXPR] [--time-zone ZONE]
  delete NAME                              (refused while used)

Options:
  --download N          Data download interval in minutes (1-1440)
  --upload N            Data upload interval in minutes (1-1440)
  --description TEXT    Description (up to 60 characters)
  --download-cron EXPR  Download schedule (cron); replaces the interval when set
  --upload-cron EXPR    Upload schedule (cron); "" goes back to the interval
  --time-zone ZONE      IANA time zone of the cron expressions (default UTC)
  --name NEW            set: rename; channel databases keep using the profile
  --json                print JSON: name, description,
                        downloadIntervalMinutes, uploadIntervalMinutes,
                        downloadCron, uploadCron, timeZone
                        (add, set and delete print the record they changed)
  --db PATH             the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing changed).`;

export const profileCommandDescription: RecordCommand<AsyncServerProfileFields> =
	{
		command: "profile",
		kind: profileKind,
		noun: "Async Server profile",
		argument: "the profile's NAME",
		help: profileHelp,
		flags: {
			description: { field: "description" },
			download: { field: "downloadIntervalMinutes" },
			upload: { field: "uploadIntervalMinutes" },
			"download-cron": { field: "downloadCron" },
			"upload-cron": { field: "uploadCron" },
			"time-zone": { field: "timeZone" },
		},
		columns: [
			{ header: "NAME", field: "name" },
			{
				header: "DOWNLOAD",
				text: (draft) => scheduleSummary(draft, "download"),
			},
			{ header: "UPLOAD", text: (draft) => scheduleSummary(draft, "upload") },
			{ header: "DESCRIPTION", field: "description" },
		],
		json: {
			name: "text",
			description: "text",
			downloadIntervalMinutes: "number",
			uploadIntervalMinutes: "number",
			downloadCron: "text",
			uploadCron: "text",
			timeZone: "text",
		},
	};

export function profileCommand(args: string[]): Promise<number> {
	return runRecordCommand(profileCommandDescription, args);
}
