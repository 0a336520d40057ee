import {
	parametersToDraft,
	schedulerParametersForm,
} from "../domain/scheduler-parameters.js";
import { inertJson, quoted } from "../domain/text.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printLine,
	printText,
	UsageError,
} from "./command-line.js";
import type { OptionValues } from "./record-command.js";
import { draftToJson, type JsonFields } from "./record-json.js";
import { flagsToDraft, report } from "./record-output.js";

export const parametersHelp = `Usage: cdx parameters <command> [options]

Retail scheduler parameters (Retail › Setup › Parameters): one record,
edited in place.

Commands:
  show [--json]
  set [--try-count N] [--keep-download-sessions-days N]
      [--keep-upload-sessions-days N] [--keep-packages-days N] [--json]

Options:
  --try-count N                    Try count: how often a failed stage of a
                                   transfer is retried (0-1000; 0 = no limit)
  --keep-download-sessions-days N  Days to keep download session history
  --keep-upload-sessions-days N    Days to keep upload session history
  --keep-packages-days N           Days to keep data packages in the working
                                   folders (each of the three 1-3650)
  --json                           print JSON: tryCount,
                                   keepDownloadSessionsDays,
                                   keepUploadSessionsDays, keepPackagesDays
  --db PATH                         the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing changed).`;

const flags = {
	"try-count": { field: "tryCount" },
	"keep-download-sessions-days": { field: "keepDownloadSessionsDays" },
	"keep-upload-sessions-days": { field: "keepUploadSessionsDays" },
	"keep-packages-days": { field: "keepPackagesDays" },
};

/** --json, export and import: every parameter is a number. */
export const parametersJson: JsonFields = {
	tryCount: "number",
	keepDownloadSessionsDays: "number",
	keepUploadSessionsDays: "number",
	keepPackagesDays: "number",
};

export async function parametersCommand(args: string[]): Promise<number> {
	const usage = "cdx parameters";
	const parsed = parseCommandLine(
		args,
		{
			...databaseOption,
			json: { type: "boolean" },
			...Object.fromEntries(
				Object.keys(flags).map((flag) => [flag, { type: "string" as const }]),
			),
		},
		usage,
	);
	const values = parsed.values as OptionValues;
	const [subcommand, ...extra] = parsed.positionals;
	if (values.help || subcommand === undefined)
		return helpShown(parametersHelp, values.help === true);
	if (subcommand !== "show" && subcommand !== "set")
		throw new UsageError(
			`unknown command ${quoted(subcommand)} for ${usage} (see ${usage} --help)`,
		);
	if (extra[0] !== undefined)
		throw new UsageError(
			`unexpected argument ${quoted(extra[0])} (see ${usage} --help)`,
		);
	const typed = flagsToDraft(values, flags);
	const given = Object.keys(flags).find((flag) => values[flag] !== undefined);
	if (subcommand === "show" && given !== undefined)
		throw new UsageError(`--${given} is for set only (see ${usage} --help)`);

	const store = await openStore(
		typeof values.db === "string" ? values.db : undefined,
	);
	const current = store.getSnapshot().configuration.parameters;
	const print = (draft: Record<string, string>) => {
		if (values.json) {
			printText(inertJson(draftToJson(draft, parametersJson)));
			return;
		}
		for (const field of schedulerParametersForm.fields) {
			const value = draft[field.key] ?? "";
			const unlimited = field.key === "tryCount" && value === "0";
			printLine(
				`${field.label}: ${value}${unlimited ? " (retry without limit)" : ""}`,
			);
		}
	};
	if (subcommand === "show") {
		print(parametersToDraft(current));
		return exitCode.success;
	}
	// Only the parameters named change, on what is stored when the lock is held.
	const outcome = await store.saveParameters(typed);
	return report(outcome, (saved) => {
		if (values.json) print(parametersToDraft(saved));
		else printLine(`Saved the ${schedulerParametersForm.title}`);
	});
}
