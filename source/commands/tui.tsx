import { render } from "ink";
import { App } from "../tui/app.js";
import { pacedStdin } from "../tui/paced-input.js";
import {
	databaseOption,
	exitCode,
	openStore,
	parseCommandLine,
	printText,
	UsageError,
} from "./command-line.js";

export const tuiHelp = `Usage: cdx [tui] [--db PATH]

Opens the full-screen app: Retail › Setup › Retail scheduler › Channel
integration, with the Async Server profile form. Press ? in the app for keys.

Options:
  --db PATH   the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Other commands: cdx profile --help, cdx demo --help.`;

const enterAlternateScreen = "\u001B[?1049h";
// Show the cursor again, then leave the alternate screen: the shell comes back as it was.
const leaveAlternateScreen = "\u001B[?25h\u001B[?1049l";

export async function tuiCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(args, databaseOption, "cdx");
	if (values.help) {
		printText(tuiHelp);
		return exitCode.success;
	}
	if (positionals.length > 0) {
		throw new UsageError(
			`unknown command ${JSON.stringify(positionals[0])} (see cdx --help)`,
		);
	}
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError(
			"the full-screen app needs a terminal (stdin and stdout are not a TTY); for scripts use the CLI: cdx profile list, cdx --help",
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
	const instance = render(<App store={store} />, {
		stdin: pacedStdin(process.stdin),
		exitOnCtrlC: false,
		patchConsole: false,
		maxFps: 120,
	});
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
