import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { clientPaths } from "../client/client-paths.js";
import { createDownloadPackage } from "../client/download-packages.js";
import { type ListedPackage, listPackages } from "../client/package-listing.js";
import { prunePackages, pruneReport } from "../client/package-prune.js";
import { clientRunning } from "../client/state-publisher.js";
import { resolveClientLinks } from "../domain/client-links.js";
import { totalRows } from "../domain/package-format.js";
import { countOf, inertJson, quoted } from "../domain/text.js";
import { requestSkip } from "../store/client-requests.js";
import { resolveRealDatabasePath } from "../store/paths.js";
import { commandContext } from "./command-context.js";
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

export const packageHelp = `Usage: cdx package <command> [options]

Data packages in the working folders, so the whole exchange can be tried on
one machine.

Commands:
  create --data-group NAME --from FILE.json
      writes a signed download package for the channel data group into its
      download working folder (what a distribution job at headquarters does),
      with the group's next sequence. FILE.json holds
      {"tables": {"TABLE": [{"key": "…", …}, …], …}}: rows are upserted by key.
      Column types (text, integer, decimal, boolean, timestamp) are inferred
      from the rows; to key a table by other columns or state the types, add
      "schemas": {"TABLE": {"key": ["COL", …], "columns": {"COL": "text", …}}}.
  list [--json]
      every package in the download and upload working folders, with what
      each channel database did with it (Available, Applied, …, or quarantined)
  skip --channel-db ID --sequence N --yes [--reason TEXT]
      passes over download package N for one channel database: its rows are
      never applied there, and the packages after it go ahead. Packages are
      otherwise applied strictly in order: the client waits at a missing,
      quarantined or failed package. Recorded in the Download sessions
      (Canceled, with who and why).
  prune --data-group NAME [--dry-run]
      deletes the group's download packages older than "days to keep data
      packages" that every channel database of the group has applied (from
      the progress.json each client publishes in its upload folder), and
      names the databases that hold the others back

Options:
  --db PATH   the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing written).`;

const options = {
	...databaseOption,
	json: { type: "boolean" },
	"data-group": { type: "string" },
	from: { type: "string" },
	"channel-db": { type: "string" },
	sequence: { type: "string" },
	reason: { type: "string" },
	yes: { type: "boolean" },
	"dry-run": { type: "boolean" },
} as const;

export async function packageCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(
		args,
		options,
		"cdx package",
	);
	const [subcommand, ...extra] = positionals;
	if (values.help || subcommand === undefined)
		return helpShown(packageHelp, values.help === true);
	if (extra.length > 0)
		throw new UsageError(
			`unexpected argument ${quoted(extra[0] ?? "")} (see cdx package --help)`,
		);
	const databasePath = await resolveRealDatabasePath(
		values.db,
		commandContext().env,
	);
	if (!existsSync(databasePath))
		throw new UsageError(
			`${databasePath}: no configuration database here (pass --db, or set $CDX_DB)`,
		);
	switch (subcommand) {
		case "create":
			return create(values.db, values["data-group"], values.from);
		case "list":
			return list(values.db, values.json === true);
		case "skip":
			return skip(values);
		case "prune":
			return prune(values.db, values["data-group"], values["dry-run"] === true);
		default:
			throw new UsageError(
				`unknown command ${quoted(subcommand)} for cdx package (see cdx package --help)`,
			);
	}
}

async function create(
	dbFlag: string | undefined,
	dataGroup: string | undefined,
	from: string | undefined,
): Promise<number> {
	if (dataGroup === undefined || from === undefined)
		throw new UsageError(
			"cdx package create needs --data-group NAME and --from FILE.json (see cdx package --help)",
		);
	let input: unknown;
	try {
		input = JSON.parse(await readFile(resolve(from), "utf8"));
	} catch (error) {
		throw new UsageError(
			`${from}: cannot be read as JSON (${(error as Error).message})`,
		);
	}
	const { tables, schemas } =
		typeof input === "object" && input !== null
			? (input as { tables?: unknown; schemas?: unknown })
			: { tables: undefined, schemas: undefined };
	const store = await openStore(dbFlag);
	const created = await createDownloadPackage({
		databasePath: store.path,
		configuration: store.getSnapshot().configuration,
		dataGroup,
		tables,
		schemas,
		now: new Date(),
	});
	if (!created.ok) throw new UsageError(created.problem);
	const pkg = created.package;
	printLine(
		`Created data package ${created.file}: channel data group ${pkg.dataGroup}, sequence ${pkg.sequence}, ${countOf(Object.keys(pkg.tables).length, "table")}, ${countOf(totalRows(pkg.tables), "row")}, signed for ${Object.keys(pkg.signatures).join(", ")}`,
	);
	return exitCode.success;
}

async function skip(values: {
	db?: string;
	"channel-db"?: string;
	sequence?: string;
	reason?: string;
	yes?: boolean;
}): Promise<number> {
	const id = values["channel-db"];
	const sequenceText = values.sequence;
	if (id === undefined || sequenceText === undefined)
		throw new UsageError(
			"cdx package skip needs --channel-db ID and --sequence N (see cdx package --help)",
		);
	const sequence = Number(sequenceText);
	if (
		!/^\d+$/.test(sequenceText) ||
		!Number.isSafeInteger(sequence) ||
		sequence < 1
	)
		throw new UsageError(
			`--sequence: must be a whole number from 1 (got ${quoted(sequenceText)})`,
		);
	const reason = values.reason?.trim() || "no reason given";
	const store = await openStore(values.db);
	const now = new Date();
	const resolved = resolveClientLinks(
		store.getSnapshot().configuration,
		id,
		now,
	);
	if (!resolved.ok) throw new UsageError(resolved.problem);
	const { database, dataGroup } = resolved.links;
	if (values.yes !== true)
		throw new UsageError(
			`skipping package ${sequence} of ${dataGroup.name} means its rows are never applied to channel database ${database.name}: add --yes to confirm`,
		);
	const paths = clientPaths(store.path, database);
	await requestSkip(paths.stateFolder, paths.fileKey, sequence, reason, now);
	const running = await clientRunning(paths.stateFile, now);
	printLine(
		`Asked to skip package ${sequence} of ${dataGroup.name} for channel database ${database.name} (${reason}): the client passes over it when the group reaches it and records it in the Download sessions.${running ? "" : " No client is running for it now: it does when one starts."}`,
	);
	return exitCode.success;
}

async function prune(
	dbFlag: string | undefined,
	dataGroup: string | undefined,
	dryRun: boolean,
): Promise<number> {
	if (dataGroup === undefined)
		throw new UsageError(
			"cdx package prune needs --data-group NAME (see cdx package --help)",
		);
	const store = await openStore(dbFlag);
	const result = await prunePackages({
		configuration: store.getSnapshot().configuration,
		dataGroup,
		now: new Date(),
		dryRun,
	});
	if (!result.ok) throw new UsageError(result.problem);
	for (const line of pruneReport(result.outcome, dryRun)) printLine(line);
	return exitCode.success;
}

async function list(
	dbFlag: string | undefined,
	json: boolean,
): Promise<number> {
	const store = await openStore(dbFlag);
	const packages = await listPackages(
		store.path,
		store.getSnapshot().configuration,
	);
	if (json) {
		printText(inertJson(packages));
		return exitCode.success;
	}
	if (packages.length === 0) {
		printLine("No data packages in the working folders.");
		return exitCode.success;
	}
	printLine(
		"KIND      GROUP/DATABASE        SEQUENCE  CREATED                   ROWS  STATE",
	);
	for (const listed of packages) printLine(row(listed));
	return exitCode.success;
}

function row(listed: ListedPackage): string {
	const state =
		listed.quarantined !== null
			? `Quarantined: ${listed.quarantined}`
			: Object.entries(listed.state)
					.map(([database, status]) => `${database} ${status}`)
					.join(", ");
	return [
		listed.kind.padEnd(8),
		listed.owner.padEnd(20),
		String(listed.sequence).padStart(8),
		(listed.createdAt ?? "?").padEnd(24),
		String(listed.rows ?? "?").padStart(5),
		state,
	].join("  ");
}
