import { type ParseArgsConfig, parseArgs } from "node:util";
import { displayText } from "../domain/text.js";
import { ConfigurationStore } from "../store/configuration-store.js";
import { DatabaseFileError } from "../store/errors.js";
import { resolveRealDatabasePath } from "../store/paths.js";
import { commandContext } from "./command-context.js";

/** Exit codes of the interface contract (DESIGN.md). */
export const exitCode = { success: 0, failure: 1, usage: 2 } as const;

/** Bad arguments or input that fails validation: exit 2, nothing changed. */
export class UsageError extends Error {
	override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export const databaseOption = {
	db: { type: "string" },
} as const satisfies Options;

/**
 * `--download -1` as `--download=-1`: util.parseArgs takes a value that
 * starts with "-" for an option ("argument is ambiguous"), so a negative
 * number would never reach the field's rule that explains what is allowed.
 */
function joinNegativeNumbers(args: string[], options: Options): string[] {
	const takesValue = (arg: string) =>
		arg.startsWith("--") && options[arg.slice(2)]?.type === "string";
	const joined: string[] = [];
	for (let index = 0; index < args.length; index += 1) {
		const arg = args[index] ?? "";
		const next = args[index + 1];
		if (arg === "--") {
			joined.push(...args.slice(index));
			break;
		}
		if (next !== undefined && /^-[0-9.]/.test(next) && takesValue(arg)) {
			joined.push(`${arg}=${next}`);
			index += 1;
		} else joined.push(arg);
	}
	return joined;
}

/** util.parseArgs with its errors turned into one-line usage errors. */
export function parseCommandLine<T extends Options>(
	args: string[],
	options: T,
	command: string,
) {
	try {
		return parseArgs({
			args: joinNegativeNumbers(args, options),
			options: { ...options, help: { type: "boolean", short: "h" } },
			allowPositionals: true,
			strict: true,
		});
	} catch (error) {
		// Node's messages go on with advice about "--"; the first sentence says it.
		const reason = (error as Error).message.split(/\.\s/)[0] ?? "";
		throw new UsageError(`${reason} (see ${command} --help)`);
	}
}

/** `--db "$DB"` with DB unset must not quietly edit the default database. */
export function refuseEmptyDatabaseFlag(dbFlag: string | undefined): void {
	if (dbFlag === "")
		throw new UsageError('--db needs the path of a database file (got "")');
}

export async function openStore(
	dbFlag: string | undefined,
): Promise<ConfigurationStore> {
	refuseEmptyDatabaseFlag(dbFlag);
	const store = await ConfigurationStore.open(
		await resolveRealDatabasePath(dbFlag, commandContext().env),
	);
	if (store.permissionWarning) {
		printProblem(`warning: ${store.permissionWarning}`);
	}
	return store;
}

/** A line that carries data (names, descriptions): control characters are made inert. */
export function printLine(text: string): void {
	commandContext().stdout.write(`${displayText(text)}\n`);
}

/** Text the program wrote itself (help) or already made inert (inertJson). */
export function printText(text: string): void {
	commandContext().stdout.write(`${text}\n`);
}

/** Prints a command's help: exit 0 when --help asked for it, 2 when it stands in for a missing subcommand. */
export function helpShown(help: string, asked = true): number {
	printText(help);
	return asked ? exitCode.success : exitCode.usage;
}

/** A warning or problem line on the command's stderr, its data made inert. */
export function printProblem(text: string): void {
	commandContext().stderr.write(`cdx: ${displayText(text)}\n`);
}

/**
 * Runs a command and turns what it throws into the contract's exit codes and
 * a single line on stderr.
 */
export async function runCommand(work: () => Promise<number>): Promise<number> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof UsageError) {
			printProblem(error.message);
			return exitCode.usage;
		}
		if (error instanceof DatabaseFileError) {
			printProblem(error.message);
			return exitCode.failure;
		}
		printProblem(error instanceof Error ? error.message : String(error));
		return exitCode.failure;
	}
}
