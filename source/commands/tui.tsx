import { render } from "ink";
import { channelDatabaseTools } from "../client/channel-database-tools.js";
import { clientPaths } from "../client/client-paths.js";
import type { Direction } from "../domain/profile-schedule.js";
import { requestRunNow } from "../store/client-requests.js";
import { App } from "../tui/app.js";
import { ChannelDatabaseToolsContext } from "../tui/channel-database-tools.js";
import {
	disableBracketedPaste,
	enableBracketedPaste,
} from "../tui/terminal/bracketed-paste.js";
import { changedCellsOnly } from "../tui/terminal/changed-cells.js";
import { pacedStdin } from "../tui/terminal/paced-input.js";
import { commandContext } from "./command-context.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	UsageError,
} from "./command-line.js";

export const tuiHelp = `Usage: cdx [tui] [--db PATH]
       cdx <command> [options]

Without a command, opens the full-screen app: Retail › Setup › Retail
scheduler › Channel integration and Parameters. Press ? in the app for keys.

Commands (each has --help):
  tui                       the full-screen app (the default)
  profile                   Async Server profiles: list|show|add|set|delete
  working-folders           working folders: list|show|add|set|delete
  data-group                channel data groups: list|show|add|set|delete
  channel-db                channel databases: list|show|add|set|delete|
                            full-sync
  parameters                Retail scheduler parameters: show|set
  export                    print the whole configuration as JSON
  import FILE               replace the configuration with an export, all
                            or nothing
  status                    each Async Client's status and next runs
  client --channel-db ID    run the Async Client of one channel database
  package                   data packages in the working folders: create|list
  demo                      a whole example store for a first look;
                            --remove takes it back

Options:
  --db PATH       the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)
  --json          with list, show, add, set: print JSON
  --help, -h      this text; cdx <command> --help for a command's
  --version, -v   the version

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing changed).`;

// A paste comes marked, so it is one edit rather than thousands of keys.
const enterAlternateScreen = `\u001B[?1049h${enableBracketedPaste}`;
// Show the cursor again, then leave the alternate screen: the shell comes back as it was.
const leaveAlternateScreen = `${disableBracketedPaste}\u001B[?25h\u001B[?1049l`;

export async function tuiCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(args, databaseOption, "cdx");
	if (values.help) return helpShown(tuiHelp);
	if (positionals.length > 0) {
		throw new UsageError(
			`unknown command ${JSON.stringify(positionals[0])} (see cdx --help)`,
		);
	}
	// Past this check the app draws on the process's own terminal: only the
	// bin runs it, never a command context with pipes of its own.
	const { stdin, stdout } = commandContext();
	const notTerminals = [
		stdin.isTTY ? null : "stdin",
		stdout.isTTY ? null : "stdout",
	].filter((stream) => stream !== null);
	if (notTerminals.length > 0) {
		throw new UsageError(
			`the full-screen app needs a terminal (${notTerminals.join(" and ")} ${notTerminals.length > 1 ? "are" : "is"} not a TTY); for scripts use the CLI: cdx profile list, cdx --help`,
		);
	}
	const store = await openStore(values.db);

	let restored = false;
	const restoreTerminal = () => {
		if (restored) return;
		restored = true;
		process.stdout.write(leaveAlternateScreen);
	};
	process.stdout.write(enterAlternateScreen);
	// The TUI itself never touches client files: run now comes in as a prop.
	const runNow = async (channelDatabase: string, direction: Direction) => {
		const database = store
			.getSnapshot()
			.configuration.channelDatabases.find(
				(candidate) => candidate.name === channelDatabase,
			);
		if (database === undefined)
			throw new Error(`Channel database ${channelDatabase} no longer exists`);
		const paths = clientPaths(store.path, database);
		return requestRunNow(
			paths.stateFolder,
			paths.fileKey,
			direction,
			new Date(),
		);
	};
	// https://no-color.org: set and not empty means no colour.
	const colors = (process.env.NO_COLOR ?? "") === "";
	const instance = render(
		<ChannelDatabaseToolsContext.Provider value={channelDatabaseTools(store)}>
			<App store={store} runNow={runNow} colors={colors} />
		</ChannelDatabaseToolsContext.Provider>,
		{
			stdin: pacedStdin(process.stdin),
			// Over SSH every byte counts: the terminal gets only the cells that changed.
			stdout: changedCellsOnly(process.stdout),
			exitOnCtrlC: false,
			patchConsole: false,
			maxFps: 120,
		},
	);
	const leave = (code: number) => {
		instance.unmount();
		restoreTerminal();
		process.exit(code);
	};
	// A dropped SSH connection (SIGHUP), kill (SIGTERM) or a crash must still
	// give the terminal back: alternate screen left, cursor shown.
	const onSignal = (signal: NodeJS.Signals) =>
		leave(signal === "SIGHUP" ? 129 : signal === "SIGINT" ? 130 : 143);
	const onCrash = (error: unknown) => {
		instance.unmount();
		restoreTerminal();
		process.stderr.write(
			`cdx: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(exitCode.failure);
	};
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
		process.once(signal, onSignal);
	process.once("uncaughtException", onCrash);
	process.once("unhandledRejection", onCrash);
	process.once("exit", restoreTerminal);
	try {
		await instance.waitUntilExit();
	} finally {
		restoreTerminal();
	}
	return exitCode.success;
}
