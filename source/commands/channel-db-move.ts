import {
	checkStoreChange,
	moveNeeded,
} from "../client/channel-data/store-change.js";
import { moveStore } from "../client/channel-data/store-move.js";
import { clientPaths } from "../client/client-paths.js";
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
	const change = await checkStoreChange(
		store.path,
		existing,
		fields,
		new Date(),
	);
	const field = "Retail Server: server";
	if (change.kind === "follows") return;
	if (change.kind === "client-running")
		throw new UsageError(`${field}: ${change.problem} (nothing changed)`);
	if (!values.move)
		throw new UsageError(
			`${field}: ${moveNeeded(existing.name, change)}: add --move (nothing changed)`,
		);
	const validated = channelDatabaseKind.validate(
		draft,
		store.getSnapshot().configuration,
		existing.id,
	);
	if (!validated.ok)
		throw new UsageError(validated.problems.map(describeProblem).join("; "));
	const { from, to, current } = change;
	if (!from.ok) throw new UsageError(`--move: ${from.problem}`);
	let moved: Awaited<ReturnType<typeof moveStore>>;
	try {
		moved = await moveStore(
			clientPaths(store.path, existing).dataFolder,
			from,
			to,
		);
	} catch (error) {
		throw new UsageError(
			`--move to ${to.location} refused: ${(error as Error).message}`,
		);
	}
	printLine(
		`Moved ${countOf(moved.tables, "table")} (${countOf(moved.rows, "row")}, counts checked) and ${countOf(moved.records, "client record")} from ${current.location} to ${to.location}; the old store is left as it was`,
	);
}
