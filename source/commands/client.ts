import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { clientPaths } from "../client/client-paths.js";
import { ClientRefusal, runClient } from "../client/runtime.js";
import { clientRunning } from "../client/state-publisher.js";
import { resolveClientLinks } from "../domain/client-links.js";
import type { Direction } from "../domain/profile-schedule.js";
import { quoted } from "../domain/text.js";
import { requestRunNow } from "../store/client-requests.js";
import { resolveRealDatabasePath } from "../store/paths.js";
import { commandContext } from "./command-context.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printLine,
	UsageError,
} from "./command-line.js";

export const clientHelp = `Usage: cdx client --channel-db ID [options]
       cdx client run-now ID download|upload [--db PATH]

Runs the Async Client of one channel database until SIGINT or SIGTERM: on
its Async Server profile's schedule it applies the data packages of its
channel data group from the download working folder, and uploads what the
POS put in its outbox as one package to the upload working folder. It
publishes what it does in state/<ID>.json beside the database, and follows
changes to the configuration as operators save them.

run-now asks the running client (or the next one to start) to run a
download or upload now, through a request file in state/. Retry and cancel
of a session (the app's Download and Upload sessions screens) arrive the
same way; the client logs what it did or why it refused.

Options:
  --channel-db ID   the Channel database ID to run for
  --data-dir PATH   the channel data store (default: channels/<ID>/ beside the database)
  --log FILE        append the log to FILE instead of stderr
  --db PATH         the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 stopped cleanly, 1 failed (or another client runs for ID),
2 bad arguments or configuration to fix (the message names the record).`;

const options = {
	...databaseOption,
	"channel-db": { type: "string" },
	"data-dir": { type: "string" },
	log: { type: "string" },
} as const;

export async function clientCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(args, options, "cdx client");
	if (values.help) return helpShown(clientHelp);
	const [subcommand, ...rest] = positionals;
	if (subcommand === "run-now") return runNow(values.db, rest);
	if (subcommand !== undefined)
		throw new UsageError(
			`unknown command ${quoted(subcommand)} for cdx client (see cdx client --help)`,
		);
	const channelDatabase = values["channel-db"];
	if (channelDatabase === undefined || channelDatabase.trim() === "")
		throw new UsageError(
			"cdx client needs --channel-db ID (see cdx client --help)",
		);
	return runUntilSignalled({
		databasePath: await resolveRealDatabasePath(
			values.db,
			commandContext().env,
		),
		channelDatabase: channelDatabase.trim(),
		dataFolder:
			values["data-dir"] === undefined
				? undefined
				: resolve(values["data-dir"]),
		logFile: values.log === undefined ? undefined : resolve(values.log),
	});
}

async function runUntilSignalled(settings: {
	databasePath: string;
	channelDatabase: string;
	dataFolder?: string;
	logFile?: string;
}): Promise<number> {
	const stop = new AbortController();
	const onSignal = () => {
		// A second Ctrl+C means now: every step is safe to cut (see the README's "Files").
		if (stop.signal.aborted) {
			process.stderr.write(
				"cdx: stopping now, without finishing the current step\n",
			);
			process.exit(exitCode.failure);
		}
		stop.abort();
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);
	try {
		await runClient({ ...settings, stop: stop.signal });
	} catch (error) {
		if (error instanceof ClientRefusal && error.exitCode === exitCode.usage)
			throw new UsageError(error.message);
		throw error;
	} finally {
		process.off("SIGINT", onSignal);
		process.off("SIGTERM", onSignal);
	}
	// Everything was closed; if some handle still holds the process, do not hang a service stop.
	setTimeout(() => {
		process.stderr.write(
			"cdx: client stopped but a handle was left open; exiting anyway\n",
		);
		process.exit(exitCode.success);
	}, 3000).unref();
	return exitCode.success;
}

async function runNow(
	dbFlag: string | undefined,
	args: string[],
): Promise<number> {
	const [id, direction, ...extra] = args;
	if (
		id === undefined ||
		(direction !== "download" && direction !== "upload") ||
		extra.length > 0
	)
		throw new UsageError(
			"usage: cdx client run-now ID download|upload (see cdx client --help)",
		);
	const databasePath = await resolveRealDatabasePath(
		dbFlag,
		commandContext().env,
	);
	if (!existsSync(databasePath))
		throw new UsageError(
			`${databasePath}: no configuration database here (pass --db, or set $CDX_DB)`,
		);
	const store = await openStore(dbFlag);
	const resolved = resolveClientLinks(
		store.getSnapshot().configuration,
		id,
		new Date(),
	);
	if (!resolved.ok) throw new UsageError(resolved.problem);
	const name = resolved.links.database.name;
	const paths = clientPaths(store.path, resolved.links.database);
	await requestRunNow(
		paths.stateFolder,
		paths.fileKey,
		direction as Direction,
		new Date(),
	);
	const running = await clientRunning(paths.stateFile, new Date());
	printLine(
		running
			? `Asked the client of channel database ${name} to ${direction} now.`
			: `Asked for a ${direction} now; no client is running for channel database ${name}, so it runs when one starts.`,
	);
	return exitCode.success;
}
