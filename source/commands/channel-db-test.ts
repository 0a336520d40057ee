import { testChannelDatabaseRecord } from "../client/channel-database-test.js";
import { quoted } from "../domain/text.js";
import { sameName } from "../domain/validation.js";
import {
	databaseOption,
	exitCode,
	openStore,
	parseCommandLine,
	printLine,
	UsageError,
} from "./command-line.js";

const usage = "cdx channel-db test";

/**
 * `cdx channel-db test ID`: one line per check, ✓ or ✗ with the fix for
 * each ✗; exit 0 only when every check passes.
 */
export async function testChannelDatabaseCommand(
	args: string[],
): Promise<number> {
	const parsed = parseCommandLine(args, { ...databaseOption }, usage);
	const [name, extra] = parsed.positionals;
	if (name === undefined)
		throw new UsageError(
			`${usage} needs the Channel database ID (see cdx channel-db --help)`,
		);
	if (extra !== undefined)
		throw new UsageError(`unexpected argument ${quoted(extra)}`);
	const store = await openStore(parsed.values.db);
	const { configuration } = store.getSnapshot();
	const record = configuration.channelDatabases.find((candidate) =>
		sameName(candidate.name, name),
	);
	if (record === undefined)
		throw new UsageError(
			`Channel database ${quoted(name)} not found (see cdx channel-db list)`,
		);
	const results = await testChannelDatabaseRecord(
		store.path,
		configuration,
		record,
		new Date(),
	);
	for (const result of results) {
		printLine(`${result.passed ? "✓" : "✗"} ${result.text}`);
		if (!result.passed) printLine(`  fix: ${result.fix ?? "see the message"}`);
	}
	return results.every((result) => result.passed)
		? exitCode.success
		: exitCode.failure;
}
