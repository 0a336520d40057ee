import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RetailServerFields } from "../../domain/channel-database-checks.js";
import {
	postgresLocation,
	type StoreTarget,
	storeTargetOf,
} from "../../domain/database-server.js";
import { isObject, parseJson } from "../../domain/json-text.js";
import { writeFileAtomically } from "../../store/atomic-write.js";
import type { ChannelDatabaseEngine, QueryResult } from "./engine.js";
import { PostgresChannelDatabase } from "./postgres.js";
import { isSettingsProblem } from "./postgres-connection.js";
import { SqliteChannelDatabase } from "./sqlite.js";

export type { RetailServerFields } from "../../domain/channel-database-checks.js";

/** The name of the SQLite file in a channel database's data folder. */
export const databaseFileName = "channel-database.sqlite";

/**
 * Where the data of a channel database last was, kept beside it: a record
 * whose Retail Server fields are changed afterwards must not start on an
 * empty store while its data sits in the old one (that takes --move).
 */
export const storeMarkerName = "store.json";

export type ConfiguredStore =
	| { ok: true; target: StoreTarget; location: string }
	| { ok: false; problem: string };

/** Where the record's fields say the data is: the SQLite file in its data folder, or a PostgreSQL database. */
export function configuredStore(
	dataFolder: string,
	fields: RetailServerFields,
): ConfiguredStore {
	const selected = storeTargetOf(fields);
	if (!selected.ok) return selected;
	const { target } = selected;
	return {
		ok: true,
		target,
		location:
			target.engine === "sqlite"
				? join(dataFolder, databaseFileName)
				: postgresLocation(target.server, target.database),
	};
}

/** Where the data is, with the Retail Server fields that named it (so a reader without the record can open it). */
export type StoreMarker = RetailServerFields & {
	engine: StoreTarget["engine"];
	location: string;
};

/** The marker, null when there is none, or why it cannot be read (it is then left as it is). */
export async function readStoreMarker(
	dataFolder: string,
): Promise<StoreMarker | null> {
	const file = join(dataFolder, storeMarkerName);
	let text: string;
	try {
		text = await readFile(file, "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
		throw error;
	}
	const parsed = parseJson(text);
	const value = parsed.ok ? parsed.value : null;
	if (
		!isObject(value) ||
		(value.engine !== "sqlite" && value.engine !== "postgresql") ||
		typeof value.location !== "string" ||
		typeof value.serverName !== "string" ||
		typeof value.databaseName !== "string"
	)
		throw new Error(
			`${file}: not a store marker this version can read (left as it is)`,
		);
	return {
		engine: value.engine,
		location: value.location,
		serverName: value.serverName,
		databaseName: value.databaseName,
	};
}

export function writeStoreMarker(
	dataFolder: string,
	marker: StoreMarker,
): Promise<void> {
	return writeFileAtomically(
		join(dataFolder, storeMarkerName),
		`${JSON.stringify({ formatVersion: 1, ...marker }, null, 2)}\n`,
	);
}

async function hasSqliteData(dataFolder: string): Promise<boolean> {
	try {
		return (await stat(join(dataFolder, databaseFileName))).size > 0;
	} catch {
		return false;
	}
}

/**
 * Where the data of this channel database is now: the marker, or (for a
 * store made before markers) its SQLite file when that holds anything.
 */
export async function currentStore(
	dataFolder: string,
): Promise<StoreMarker | null> {
	const marker = await readStoreMarker(dataFolder);
	if (marker !== null) return marker;
	return (await hasSqliteData(dataFolder))
		? {
				engine: "sqlite",
				location: join(dataFolder, databaseFileName),
				serverName: "",
				databaseName: "",
			}
		: null;
}

/** Opens the engine of `target` (no marker check). */
export function openTarget(
	target: StoreTarget,
	location: string,
): Promise<ChannelDatabaseEngine> {
	return target.engine === "sqlite"
		? SqliteChannelDatabase.open(location)
		: PostgresChannelDatabase.open(target.server, target.database);
}

/**
 * Opens the store the record names, once it is sure that is where the data
 * is; a record pointing elsewhere than the data is refused, naming both.
 */
export async function openConfiguredStore(
	dataFolder: string,
	name: string,
	fields: RetailServerFields,
): Promise<ChannelDatabaseEngine> {
	const configured = configuredStore(dataFolder, fields);
	if (!configured.ok)
		throw new Error(`channel database ${name}: ${configured.problem}`);
	const current = await currentStore(dataFolder);
	if (current !== null && current.location !== configured.location)
		throw new Error(
			`channel database ${name} keeps its data in ${current.engine} ${current.location}, but its Retail Server fields now name ${configured.location}: set them back, or move the data there with cdx channel-db set ${name} --server … --database … --move`,
		);
	const engine = await openTarget(configured.target, configured.location);
	if (current === null)
		await writeStoreMarker(dataFolder, {
			engine: configured.target.engine,
			location: configured.location,
			serverName: fields.serverName,
			databaseName: fields.databaseName,
		}).catch(async (error: unknown) => {
			await engine.close();
			throw error;
		});
	return engine;
}

/**
 * Opens the store the marker names, for a reader that has no record at
 * hand (tests, tools): the SQLite file in the data folder when none does.
 */
export async function openRecordedStore(
	dataFolder: string,
): Promise<ChannelDatabaseEngine> {
	const marker = await readStoreMarker(dataFolder);
	const configured = configuredStore(
		dataFolder,
		marker ?? { serverName: "", databaseName: "" },
	);
	if (!configured.ok)
		throw new Error(
			`${join(dataFolder, storeMarkerName)}: ${configured.problem}`,
		);
	return openTarget(configured.target, configured.location);
}

/**
 * Runs an operator's read-only statement where the record's fields put the
 * data, changing nothing: the SQLite file opened read-only, or a READ ONLY
 * transaction on the server. `unreachable` is why no store answered.
 */
export async function queryStore(
	dataFolder: string,
	fields: RetailServerFields,
	sql: string,
): Promise<
	QueryResult | { ok: false; unreachable: string; badSettings: boolean }
> {
	const configured = configuredStore(dataFolder, fields);
	if (!configured.ok)
		return { ok: false, unreachable: configured.problem, badSettings: true };
	const { target, location } = configured;
	if (target.engine === "sqlite") {
		if (!(await hasSqliteData(dataFolder)))
			return {
				ok: false,
				unreachable: `${location}: has no data yet (its client creates the file when it first starts)`,
				badSettings: false,
			};
		return SqliteChannelDatabase.queryFile(location, sql);
	}
	let engine: PostgresChannelDatabase;
	try {
		engine = await PostgresChannelDatabase.connect(
			target.server,
			target.database,
		);
	} catch (error) {
		return {
			ok: false,
			unreachable: (error as Error).message,
			badSettings: isSettingsProblem(error),
		};
	}
	try {
		return await engine.query(sql);
	} finally {
		await engine.close();
	}
}
