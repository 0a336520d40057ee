#!/usr/bin/env node
import packageJson from "../package.json" with { type: "json" };
import { exitCode, printText, runCommand } from "./commands/command-line.js";
import { demoCommand } from "./commands/demo.js";
import { profileCommand } from "./commands/profile.js";
import { tuiCommand, tuiHelp } from "./commands/tui.js";

const commands: Record<string, (args: string[]) => Promise<number>> = {
	tui: tuiCommand,
	profile: profileCommand,
	demo: demoCommand,
};

const [first, ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
	if (first === "--version" || first === "-v") {
		printText(packageJson.version);
		return exitCode.success;
	}
	if (first === "--help" || first === "-h" || first === "help") {
		printText(tuiHelp);
		return exitCode.success;
	}
	const command = first !== undefined ? commands[first] : undefined;
	if (command) return command(rest);
	return tuiCommand(first === undefined ? [] : [first, ...rest]);
}

process.exitCode = await runCommand(main);
