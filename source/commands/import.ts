import { readFile } from "node:fs/promises";
import { emptyConfiguration } from "../domain/configuration.js";
import { isObject, parseJson } from "../domain/json-text.js";
import { recordsOf } from "../domain/record-kind.js";
import { countOf, quoted } from "../domain/text.js";
import { ConfigurationFile } from "../store/configuration-file.js";
import { describeFileSystemError } from "../store/errors.js";
import { resolveRealDatabasePath } from "../store/paths.js";
import { commandContext } from "./command-context.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printLine,
	printProblem,
	UsageError,
} from "./command-line.js";
import {
	exportFormat,
	exportFormatVersion,
	exportSections,
} from "./configuration-document.js";
import { checkImport } from "./import-check.js";

export const importHelp = `Usage: cdx import FILE [--db PATH]

Replaces the whole configuration with the one in FILE, as cdx export wrote
it: records in FILE are added or replace the record of the same form and
name (which keeps its identity, with a new version); records that are not in
FILE are removed; the Retail scheduler parameters take FILE's values.

Everything is checked first: every record by its form's own rules, every
link by name against the records in FILE, every encrypted password against
the secret.key beside the database. On any problem nothing changes, and each
problem is printed on its own line as "<form> <name>: <field>: <message>".
Otherwise the database is written once, under its lock.

Passwords come encrypted (passwordSecret): the secret.key of the database
the file was exported from must be beside the target database (see cdx
export --help).

Options:
  --db PATH   the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed, 2 bad arguments or a problem in FILE
(nothing changed).`;

async function readDocument(file: string): Promise<Record<string, unknown>> {
	let text: string;
	try {
		text = await readFile(file, "utf8");
	} catch (error) {
		throw new UsageError(
			`${file}: cannot be read: ${describeFileSystemError(error)}`,
		);
	}
	const parsed = parseJson(text);
	if (!parsed.ok)
		throw new UsageError(`${file}: ${parsed.problem}; nothing was imported`);
	const document = parsed.value;
	if (!isObject(document) || document.format !== exportFormat)
		throw new UsageError(
			`${file}: not a cdx export (no "format": "${exportFormat}"; cdx export writes one); nothing was imported`,
		);
	if (document.formatVersion !== exportFormatVersion)
		throw new UsageError(
			`${file}: export format version ${quoted(String(document.formatVersion))}, this cdx-scheduler reads version ${exportFormatVersion}; nothing was imported`,
		);
	return document;
}

export async function importCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(
		args,
		databaseOption,
		"cdx import",
	);
	if (values.help) return helpShown(importHelp);
	const [file, ...extra] = positionals;
	if (file === undefined)
		throw new UsageError(
			"cdx import needs the FILE cdx export wrote (see cdx import --help)",
		);
	if (extra[0] !== undefined)
		throw new UsageError(
			`unexpected argument ${quoted(extra[0])} (see cdx import --help)`,
		);
	const document = await readDocument(file);
	const databasePath = await resolveRealDatabasePath(
		values.db,
		commandContext().env,
	);
	// Read without the store: a refused import must not even create the database.
	const stored =
		(await new ConfigurationFile(databasePath).read()) ?? emptyConfiguration();
	const { configuration, problems } = await checkImport(
		document,
		file,
		stored,
		databasePath,
	);
	if (problems.length > 0) {
		for (const problem of problems) printProblem(problem);
		throw new UsageError(
			`${file}: ${countOf(problems.length, "problem")}; nothing was imported, ${databasePath} is unchanged`,
		);
	}
	const store = await openStore(values.db);
	const outcome = await store.replaceConfiguration(configuration);
	if (!outcome.ok) throw new Error(outcome.message);
	const counts = exportSections
		.map(
			({ collection, command }) =>
				`${recordsOf(configuration, collection).length} ${command.command}`,
		)
		.join(", ");
	printLine(
		`Imported ${file} into ${store.path} (${counts}, parameters); records not in the file were removed`,
	);
	return exitCode.success;
}
