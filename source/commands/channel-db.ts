import { storeLocation } from "../client/channel-store.js";
import { clientPaths } from "../client/client-paths.js";
import {
	type ChannelDatabaseInput,
	channelDatabaseKind,
} from "../domain/channel-database.js";
import type { ChannelDatabaseFields } from "../domain/configuration.js";
import { quoted } from "../domain/text.js";
import { guardStoreChange } from "./channel-db-move.js";
import { queryChannelDatabase } from "./channel-db-query.js";
import { testChannelDatabaseCommand } from "./channel-db-test.js";
import { commandContext } from "./command-context.js";
import { UsageError } from "./command-line.js";
import { readPasswordFromStdin } from "./password-input.js";
import {
	type OptionValues,
	type RecordCommand,
	runRecordCommand,
} from "./record-command.js";

export const channelDatabaseHelp = `Usage: cdx channel-db <command> [options]

Edit channel databases: one per Async Client instance, with its channel data
group, the credentials it uses with Async Server, its Async Server profile and
the retail channels that use it.

Commands:
  list [--json]                  all channel databases
  show ID [--json]               one channel database (never its password)
  add ID --data-group NAME --profile NAME --user USER
         (--password-stdin | $CDX_PASSWORD) [--channel CHANNEL_ID]...
         [--server HOST[:PORT] --database NAME] [--spread-load yes|no]
  set ID [any option of add] [--name NEW]
  delete ID
  full-sync ID                   Full data sync: the client takes all data again
                                 on its next download
  query ID "SELECT …" [--json]   run one read-only SQL statement on the channel
                                 database and print its rows (a table, or a JSON
                                 array of objects); a statement that would write
                                 is refused (exit 2) and changes nothing
  test ID                        check the working folders, the credentials and
                                 the channel database, one line per check (✓, or
                                 ✗ and the fix); exit 0 only when all pass

Options:
  --data-group NAME     Channel data group, by name (cdx data-group list)
  --profile NAME        Async Server profile, by name (cdx profile list)
  --user USER           User name (case-sensitive, unique across databases)
  --password-stdin      read the password from the first line of standard input
                        (at a terminal: asked for, not echoed)
  --channel CHANNEL_ID  a retail channel that uses this database; repeat
                        for more; on set they replace the list
                        (--channel "" empties it)
  --server HOST[:PORT]  Retail Server: server: the PostgreSQL server that keeps
                        this database's data ("" or none: the embedded SQLite
                        file); who connects comes from libpq's environment
                        (PGSERVICE, PGUSER, PGPASSWORD or ~/.pgpass,
                        PGSSLMODE), never from db.json
  --database NAME       Retail Server: database: the PostgreSQL database there
  --spread-load yes|no  spread this database's runs across the interval
  --name NEW            set: rename (the Channel database ID)
  --move                set: when --server/--database change where data kept
                        so far is, copy every table, watermark and counter
                        there in one transaction (row counts checked), then
                        switch; refused while its client runs
  --json                print JSON: name, dataGroup, userName, profile,
                        channels, serverName, databaseName, spreadLoad,
                        fullSyncRequestedAt (never the password); show adds
                        store: {engine, location, outbox}, where its data is
  --db PATH             the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

The password is never an argument (--password is refused: arguments show in
the process list and the shell history). It comes from --password-stdin, else
from $CDX_PASSWORD when that is set; on set, without either, the stored
password is kept. It is stored encrypted and never printed.

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing changed).`;

async function readPassword(values: OptionValues): Promise<{
	password?: string;
}> {
	if (values["password-stdin"]) {
		const password = await readPasswordFromStdin();
		if (password === "")
			throw new UsageError(
				"--password-stdin: standard input gave no password (an empty first line, or none)",
			);
		return { password };
	}
	const fromEnvironment = commandContext().env.CDX_PASSWORD;
	return fromEnvironment ? { password: fromEnvironment } : {};
}

export const channelDatabaseCommandDescription: RecordCommand<
	ChannelDatabaseFields,
	ChannelDatabaseInput
> = {
	command: "channel-db",
	kind: channelDatabaseKind,
	noun: "channel database",
	argument: "the Channel database ID",
	help: channelDatabaseHelp,
	flags: {
		"data-group": { field: "dataGroup" },
		profile: { field: "profile" },
		user: { field: "userName" },
		channel: { field: "channels", repeatable: true },
		server: { field: "serverName" },
		database: { field: "databaseName" },
		"spread-load": { field: "spreadLoad" },
	},
	editOptions: {
		"password-stdin": { type: "boolean" },
		move: { type: "boolean" },
	},
	beforeSave: guardStoreChange,
	refusedOptions: {
		password:
			"a password given as an argument shows in the process list and the shell history; use --password-stdin or $CDX_PASSWORD",
	},
	columns: [
		{ header: "ID", field: "name" },
		{ header: "DATA GROUP", field: "dataGroup" },
		{ header: "PROFILE", field: "profile" },
		{ header: "USER NAME", field: "userName" },
		{ header: "CHANNELS", field: "channels" },
	],
	json: {
		name: "text",
		dataGroup: "text",
		userName: "text",
		profile: "text",
		channels: "list",
		serverName: "text",
		databaseName: "text",
		spreadLoad: "yes-no",
	},
	carried: ["fullSyncRequestedAt"],
	details: (database, _configuration, databasePath) => {
		const store = storeLocation(
			clientPaths(databasePath, database).dataFolder,
			database,
		);
		return [
			`Full data sync requested: ${database.fullSyncRequestedAt ?? "no"}`,
			`Channel database store: ${store.engine} ${store.location}`,
			`Outbox folder: ${store.outbox}`,
		];
	},
	shownWith: (database, databasePath) => ({
		store: storeLocation(
			clientPaths(databasePath, database).dataFolder,
			database,
		),
	}),
	readInput: readPassword,
	actions: {
		"full-sync": {
			run: (store, target) => store.requestFullSync(target),
			done: (name) =>
				`Full data sync requested for channel database ${quoted(name)}: its client takes all data again on its next download`,
		},
	},
};

/** The first argument that is not an option or an option's value. */
function subcommandOf(args: string[]): string | undefined {
	for (let index = 0; index < args.length; index += 1) {
		const arg = args[index] as string;
		if (arg === "--db") index += 1;
		else if (!arg.startsWith("-")) return arg;
	}
	return undefined;
}

export function channelDatabaseCommand(args: string[]): Promise<number> {
	if (subcommandOf(args) === "query")
		return queryChannelDatabase(args.filter((arg) => arg !== "query"));
	if (subcommandOf(args) === "test")
		return testChannelDatabaseCommand(args.filter((arg) => arg !== "test"));
	return runRecordCommand(channelDatabaseCommandDescription, args);
}
