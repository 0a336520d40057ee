import { inertJson, quoted } from "../domain/text.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printText,
	UsageError,
} from "./command-line.js";
import { toExportDocument } from "./configuration-document.js";

export const exportHelp = `Usage: cdx export [--db PATH] > FILE

Prints the whole configuration as JSON: working folders, channel data groups,
Async Server profiles, channel databases and the Retail scheduler parameters.
Records link to each other by name, as in --json; cdx import FILE reads it back.

Passwords are never printed in plain text: each channel database carries its
password encrypted (passwordSecret), as db.json holds it. Only the secret.key
file beside the database it came from can decrypt them, so to import the file
into a database in another folder or on another machine, copy that secret.key
beside the target database first (it is what protects the passwords: keep it
as private as the passwords themselves).

Options:
  --db PATH   the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed, 2 bad arguments.`;

export async function exportCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(
		args,
		databaseOption,
		"cdx export",
	);
	if (values.help) return helpShown(exportHelp);
	if (positionals[0] !== undefined)
		throw new UsageError(
			`unexpected argument ${quoted(positionals[0])} (cdx export prints to standard output; see cdx export --help)`,
		);
	const store = await openStore(values.db);
	printText(inertJson(toExportDocument(store.getSnapshot().configuration)));
	return exitCode.success;
}
