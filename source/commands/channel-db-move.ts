import { moveStore } from "../client/channel-data/store-move.js";
import {
	configuredStore,
	currentStore,
} from "../client/channel-data/store-target.js";
import { clientPaths } from "../client/client-paths.js";
import { clientRunning } from "../client/state-publisher.js";
import { channelDatabaseKind } from "../domain/channel-database.js";
import type { ChannelDatabaseFields } from "../domain/configuration.js";
import type { Draft } from "../domain/record-kind.js";
import { countOf } from "../domain/text.js";
import { describeProblem } from "../domain/validation.js";
import { printLine, UsageError } from "./command-line.js";
import type { EditContext } from "./record-command.js";

/**
 * Before `channel-db set` saves new Retail Server fields: where the data is
 * must not change under a running client, and data already kept elsewhere
 * moves only with --move (all of it, in one transaction, counts checked),
 * else the save is refused. A store with no data yet just follows the record.
 */
export async function guardStoreChange(
	draft: Draft,
	{ store, values, existing }: EditContext<ChannelDatabaseFields>,
): Promise<void> {
	if (existing === undefined) return;
	const fields = {
		serverName: (draft.serverName ?? "").trim(),
		databaseName: (draft.databaseName ?? "").trim(),
	};
	const paths = clientPaths(store.path, existing);
	const before = configuredStore(paths.dataFolder, existing);
	const after = configuredStore(paths.dataFolder, fields);
	// Fields that select no store are the validation's to report.
	if (!after.ok) return;
	if (before.ok && before.location === after.location) return;
	const field = "Retail Server: server";
	if (await clientRunning(paths.stateFile, new Date()))
		throw new UsageError(
			`${field}: the client of channel database ${existing.name} is running; stop it before changing where its data is (nothing changed)`,
		);
	const current = await currentStore(paths.dataFolder);
	if (current === null || current.location === after.location) return;
	if (!values.move)
		throw new UsageError(
			`${field}: channel database ${existing.name} keeps its data in ${current.engine} ${current.location}; changing where it is needs --move (copies every table, watermark and counter to ${after.location} in one transaction, then switches; nothing changed)`,
		);
	const validated = channelDatabaseKind.validate(
		draft,
		store.getSnapshot().configuration,
		existing.id,
	);
	if (!validated.ok)
		throw new UsageError(validated.problems.map(describeProblem).join("; "));
	const from = configuredStore(paths.dataFolder, current);
	if (!from.ok) throw new UsageError(`--move: ${from.problem}`);
	let moved: Awaited<ReturnType<typeof moveStore>>;
	try {
		moved = await moveStore(paths.dataFolder, from, { ...after, fields });
	} catch (error) {
		throw new UsageError(
			`--move to ${after.location} refused: ${(error as Error).message}`,
		);
	}
	printLine(
		`Moved ${countOf(moved.tables, "table")} (${countOf(moved.rows, "row")}, counts checked) and ${countOf(moved.records, "client record")} from ${current.location} to ${after.location}; the old store is left as it was`,
	);
}
