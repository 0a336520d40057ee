import type { ChannelDatabaseTools } from "../domain/channel-database-checks.js";
import type { ConfigurationStore } from "../store/configuration-store.js";
import { checkStoreChange, moveNeeded } from "./channel-data/store-change.js";
import { testChannelDatabaseRecord } from "./channel-database-test.js";

/** A word as a POSIX shell reads it back unchanged: bare when safe, else in single quotes. */
function shellWord(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value)
		? value
		: `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The Channel database form's tools on `store`: the CLI's own checks, for the TUI. */
export function channelDatabaseTools(
	store: ConfigurationStore,
	now: () => Date = () => new Date(),
): ChannelDatabaseTools {
	const recordOf = (recordId: string) => {
		const { configuration } = store.getSnapshot();
		const record = configuration.channelDatabases.find(
			(candidate) => candidate.id === recordId,
		);
		if (record === undefined)
			throw new Error("this channel database no longer exists");
		return { configuration, record };
	};
	return {
		test: async (recordId) => {
			const { configuration, record } = recordOf(recordId);
			return testChannelDatabaseRecord(
				store.path,
				configuration,
				record,
				now(),
			);
		},
		storeChangeRefusal: async (recordId, fields) => {
			const { record } = recordOf(recordId);
			const change = await checkStoreChange(store.path, record, fields, now());
			if (change.kind === "follows") return null;
			if (change.kind === "client-running")
				return `${change.problem} (nothing saved)`;
			const command = [
				"cdx channel-db set",
				shellWord(record.name),
				"--server",
				shellWord(fields.serverName),
				"--database",
				shellWord(fields.databaseName),
				"--move --db",
				shellWord(store.path),
			].join(" ");
			return `${moveNeeded(record.name, change)}: run ${command} (nothing saved)`;
		},
	};
}
