import { queryStore } from "../client/channel-data/store-target.js";
import { clientPaths } from "../client/client-paths.js";
import { displayText, inertJson, quoted } from "../domain/text.js";
import { sameName } from "../domain/validation.js";
import {
	databaseOption,
	exitCode,
	openStore,
	parseCommandLine,
	printText,
	UsageError,
} from "./command-line.js";
import { printTable } from "./record-output.js";

const usage = "cdx channel-db query";

/** A value as one table cell: text as it is, bytes in hex, null as nothing. */
function cell(value: unknown): string {
	if (value === null || value === undefined) return "";
	if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
	return String(value);
}

function jsonValue(value: unknown): unknown {
	if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
	if (typeof value === "bigint") return value.toString();
	return value;
}

/**
 * `cdx channel-db query ID "SELECT …" [--json]`: one read-only statement on
 * a channel database, the operator's SQLCMD. A statement that would write
 * is refused with exit 2, and the file is opened read-only besides.
 */
export async function queryChannelDatabase(args: string[]): Promise<number> {
	const parsed = parseCommandLine(
		args,
		{ ...databaseOption, json: { type: "boolean" } },
		usage,
	);
	const [name, sql, extra] = parsed.positionals;
	if (name === undefined || sql === undefined)
		throw new UsageError(
			`${usage} needs the Channel database ID and one SQL statement (see cdx channel-db --help)`,
		);
	if (extra !== undefined)
		throw new UsageError(
			`unexpected argument ${quoted(extra)}: put the SQL statement in one quoted argument (see cdx channel-db --help)`,
		);
	const store = await openStore(parsed.values.db);
	const record = store
		.getSnapshot()
		.configuration.channelDatabases.find((candidate) =>
			sameName(candidate.name, name),
		);
	if (record === undefined)
		throw new UsageError(
			`Channel database ${quoted(name)} not found (see cdx channel-db list)`,
		);
	const result = await queryStore(
		clientPaths(store.path, record).dataFolder,
		record,
		sql,
	);
	if ("unreachable" in result) {
		process.stderr.write(
			`cdx: channel database ${record.name}: ${displayText(result.unreachable)}\n`,
		);
		return result.badSettings ? exitCode.usage : exitCode.failure;
	}
	if (!result.ok)
		throw new UsageError(`refused, nothing changed: ${result.refused}`);
	if (parsed.values.json) {
		printText(
			inertJson(
				result.rows.map((row) =>
					Object.fromEntries(
						Object.entries(row).map(([column, value]) => [
							column,
							jsonValue(value),
						]),
					),
				),
			),
		);
		return exitCode.success;
	}
	printTable(
		result.columns,
		result.rows.map((row) => result.columns.map((column) => cell(row[column]))),
	);
	return exitCode.success;
}
