import type { ChannelDatabaseFields } from "../../domain/configuration.js";
import { clientPaths } from "../client-paths.js";
import { clientRunning } from "../state-publisher.js";
import {
	type ConfiguredStore,
	configuredStore,
	currentStore,
	type RetailServerFields,
	type StoreMarker,
} from "./store-target.js";

type Located = Extract<ConfiguredStore, { ok: true }>;

/** What saving new Retail Server fields on a channel database means for its data. */
export type StoreChange =
	/** Where the data is does not change, or there is no data yet: the store follows the record. */
	| { kind: "follows" }
	/** Refused: the client runs on the store now. */
	| { kind: "client-running"; problem: string }
	/** Data is kept elsewhere already: saving needs a move (all of it, one transaction). */
	| {
			kind: "needs-move";
			current: StoreMarker;
			from: ConfiguredStore;
			to: Located & { fields: RetailServerFields };
	  };

/**
 * Before new Retail Server fields are saved on `existing` (the CLI's
 * `channel-db set` and the TUI's form both ask): where the data is must not
 * change under a running client, and data already kept elsewhere moves only
 * on request. Fields that select no store are the validation's to report.
 */
export async function checkStoreChange(
	databasePath: string,
	existing: ChannelDatabaseFields & { id: string },
	fields: RetailServerFields,
	now: Date,
): Promise<StoreChange> {
	const paths = clientPaths(databasePath, existing);
	const before = configuredStore(paths.dataFolder, existing);
	const after = configuredStore(paths.dataFolder, fields);
	if (!after.ok) return { kind: "follows" };
	if (before.ok && before.location === after.location)
		return { kind: "follows" };
	if (await clientRunning(paths.stateFile, now))
		return {
			kind: "client-running",
			problem: `the client of channel database ${existing.name} is running; stop it before changing where its data is`,
		};
	const current = await currentStore(paths.dataFolder);
	if (current === null || current.location === after.location)
		return { kind: "follows" };
	return {
		kind: "needs-move",
		current,
		from: configuredStore(paths.dataFolder, current),
		to: { ...after, fields },
	};
}

/** Why a store change is refused without a move, the same words from the CLI and the TUI. */
export function moveNeeded(
	name: string,
	change: Extract<StoreChange, { kind: "needs-move" }>,
): string {
	return `channel database ${name} keeps its data in ${change.current.engine} ${change.current.location}; changing where it is needs a move that copies every table, watermark and counter to ${change.to.location} in one transaction, then switches`;
}
