import packageJson from "../../package.json" with { type: "json" };
import { channelDatabaseCommand } from "./channel-db.js";
import { type CommandContext, runInContext } from "./command-context.js";
import { exitCode, printText, runCommand } from "./command-line.js";
import { dataGroupCommand } from "./data-group.js";
import { demoCommand } from "./demo.js";
import { exportCommand } from "./export.js";
import { importCommand } from "./import.js";
import { parametersCommand } from "./parameters.js";
import { profileCommand } from "./profile.js";
import { statusCommand } from "./status.js";
import { workingFoldersCommand } from "./working-folders.js";

// Ink and React take most of start-up: loaded only for the full-screen app
// and the help text it holds, not for the commands scripts run.
const tui = () => import("./tui.js");

const commands: Record<string, (args: string[]) => Promise<number>> = {
	tui: async (args) => (await tui()).tuiCommand(args),
	profile: profileCommand,
	"working-folders": workingFoldersCommand,
	"data-group": dataGroupCommand,
	"channel-db": channelDatabaseCommand,
	parameters: parametersCommand,
	export: exportCommand,
	import: importCommand,
	demo: demoCommand,
	status: statusCommand,
	client: async (args) => (await import("./client.js")).clientCommand(args),
	package: async (args) => (await import("./package.js")).packageCommand(args),
};

async function pickCommand(args: string[]): Promise<number> {
	const [first, ...rest] = args;
	if (first === "--version" || first === "-v") {
		printText(packageJson.version);
		return exitCode.success;
	}
	if (first === "--help" || first === "-h" || first === "help") {
		printText((await tui()).tuiHelp);
		return exitCode.success;
	}
	const command = first !== undefined ? commands[first] : undefined;
	if (command) return command(rest);
	return (await tui()).tuiCommand(args);
}

/**
 * `cdx ARGS`: picks the command and returns its exit code. With a context,
 * the command reads and writes that context's streams and environment
 * instead of the process's (command-context.ts).
 */
export function runCli(
	args: string[],
	context?: CommandContext,
): Promise<number> {
	const run = () => runCommand(() => pickCommand(args));
	return context === undefined ? run() : runInContext(context, run);
}
