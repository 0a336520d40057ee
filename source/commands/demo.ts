import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { storeLocation } from "../client/channel-store.js";
import { clientPaths } from "../client/client-paths.js";
import { countOf, quoted } from "../domain/text.js";
import { resolveRealDatabasePath } from "../store/paths.js";
import { commandContext } from "./command-context.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printLine,
	refuseEmptyDatabaseFlag,
	UsageError,
} from "./command-line.js";
import type { DemoManifest } from "./demo-manifest.js";
import { removeDemo } from "./demo-removal.js";
import {
	addDemo,
	checkDemoFolder,
	demoNames,
	describePackages,
} from "./demo-store.js";

export const demoHelp = `Usage: cdx demo [--folder DIR] [--db PATH]
       cdx demo --remove [--folder DIR] [--db PATH]

Builds a whole example store for a first look: Async Server profiles
${demoNames.intervalProfile} (every minute) and ${demoNames.cronProfile} (cron), working folders
${demoNames.workingFolders} in DIR, channel data group ${demoNames.dataGroup}, channel databases
${demoNames.databases.join(" and ")} (embedded SQLite), and three signed data packages
in the download working folder. It prints what it added and the commands
that start the two clients.

Options:
  --folder DIR  where the working folders go: a new or empty folder
                (default: demo/ beside db.json); cdx-demo.json there lists
                what the demo added
  --remove      removes what the demo added: its records, as long as each is
                as the demo saved it and none of yours uses it, and the files
                it and its clients wrote; anything else is left, and listed
  --db PATH     the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Running it again changes nothing. Exit codes: 0 done (or there already),
1 failed, 2 refused (nothing changed).`;

const options = {
	...databaseOption,
	folder: { type: "string" },
	remove: { type: "boolean" },
} as const;

export async function demoCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(args, options, "cdx demo");
	if (values.help) return helpShown(demoHelp);
	if (positionals[0] !== undefined)
		throw new UsageError(
			`unexpected argument ${quoted(positionals[0])} (see cdx demo --help)`,
		);
	if (values.folder === "")
		throw new UsageError('--folder needs the path of a folder (got "")');
	refuseEmptyDatabaseFlag(values.db);
	const databasePath = await resolveRealDatabasePath(
		values.db,
		commandContext().env,
	);
	const folder = resolve(values.folder ?? join(dirname(databasePath), "demo"));
	// The printed commands name the database unless it is the default one.
	const chosen = values.db !== undefined || commandContext().env.CDX_DB;
	const dbArgument = chosen ? ` --db ${shellWord(databasePath)}` : "";
	const folderArgument =
		values.folder === undefined ? "" : ` --folder ${shellWord(folder)}`;
	const now = new Date();

	if (values.remove) {
		if (!existsSync(databasePath))
			throw new UsageError(
				`${databasePath}: no configuration database here (pass --db, or set $CDX_DB); nothing was removed`,
			);
		const store = await openStore(values.db);
		const removed = await removeDemo({ store, folder, now });
		if (!removed.ok) throw new UsageError(removed.problem);
		printLine(
			`Removed the demo from ${store.path}: ${removed.removedRecords.length > 0 ? removed.removedRecords.join(", ") : "no records (they were gone already)"}; ${countOf(removed.removedFiles, "file")} it and its clients wrote.`,
		);
		if (removed.left.length > 0)
			printLine(
				`Left, as not the demo's: ${removed.left.slice(0, 5).join(", ")}${removed.left.length > 5 ? ` and ${removed.left.length - 5} more` : ""}.`,
			);
		return exitCode.success;
	}

	const found = await checkDemoFolder(folder, databasePath);
	if (found.state === "refused") throw new UsageError(found.problem);
	if (found.state === "there-already") {
		if (!found.manifest.complete)
			throw new UsageError(
				`${folder}: an earlier cdx demo did not finish (or is still building it); cdx demo --remove${folderArgument}${dbArgument} takes back what it added, then run cdx demo again`,
			);
		printLine(
			`The demo is there already (${folder}, added ${found.manifest.createdAt}); nothing was changed.`,
		);
		printStart(found.manifest, databasePath, dbArgument, folderArgument);
		return exitCode.success;
	}
	const store = await openStore(values.db);
	const added = await addDemo({ store, folder, now });
	switch (added.outcome) {
		case "refused":
			throw new UsageError(added.problem);
		case "cut-short":
			throw new Error(
				`${added.problem}; the demo is only partly there: cdx demo --remove${folderArgument}${dbArgument} takes it back`,
			);
		case "added":
			printAdded(added.manifest, store.path);
			printStart(added.manifest, store.path, dbArgument, folderArgument);
			return exitCode.success;
	}
}

/** A path as one word for a POSIX shell: quoted only when it needs to be. */
function shellWord(text: string): string {
	return /^[A-Za-z0-9_./:@%+=-]+$/.test(text)
		? text
		: `'${text.replaceAll("'", "'\\''")}'`;
}

function namesIn(
	manifest: DemoManifest,
	collection: DemoManifest["records"][number]["collection"],
): string {
	return manifest.records
		.filter((entry) => entry.collection === collection)
		.map((entry) => entry.name)
		.join(", ");
}

function printAdded(manifest: DemoManifest, databasePath: string): void {
	printLine(`Demo store added to ${databasePath}:`);
	printLine(
		`  Async Server profiles  ${demoNames.intervalProfile} (every 1 min down, every 2 min up), ${demoNames.cronProfile} (cron */2 * * * * down, */5 * * * * up, UTC)`,
	);
	printLine(
		`  Working folders        ${namesIn(manifest, "workingFolders")}: ${join(manifest.folder, "download")} and ${join(manifest.folder, "upload")}`,
	);
	printLine(`  Channel data group     ${namesIn(manifest, "dataGroups")}`);
	printLine(
		`  Channel databases      ${demoNames.databases[0]} (${demoNames.intervalProfile}), ${demoNames.databases[1]} (${demoNames.cronProfile}), embedded SQLite`,
	);
	printLine(
		`  Data packages          ${countOf(manifest.packages.length, "signed package")} in ${join(manifest.folder, "download", demoNames.dataGroup)}: ${describePackages().join("; ")}`,
	);
	printLine(
		`  What it added:         ${join(manifest.folder, "cdx-demo.json")}`,
	);
}

function printStart(
	manifest: DemoManifest,
	databasePath: string,
	dbArgument: string,
	folderArgument: string,
): void {
	printLine("");
	printLine(
		"Start the two clients, each in a terminal of its own (each runs until Ctrl+C and writes what it does to its --log file):",
	);
	for (const entry of manifest.records.filter(
		(record) => record.collection === "channelDatabases",
	))
		printLine(
			`  npx cdx client --channel-db ${entry.name}${dbArgument} --log ${shellWord(join(manifest.folder, `${entry.name}.log`))}`,
		);
	const first = manifest.records.find(
		(record) => record.collection === "channelDatabases",
	);
	if (first) {
		const outbox = storeLocation(clientPaths(databasePath, first).dataFolder, {
			serverName: "",
			databaseName: "",
		}).outbox;
		printLine(
			`Then watch them: npx cdx${dbArgument} (the live panel), or npx cdx status${dbArgument}.`,
		);
		printLine(
			`A point of sale's rows to upload go in ${first.name}'s outbox: ${outbox}`,
		);
	}
	printLine(
		`Remove it all: npx cdx demo --remove${folderArgument}${dbArgument}`,
	);
}
