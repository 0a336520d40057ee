import type { CheckResult } from "../domain/channel-database-checks.js";
import {
	type ClientLinks,
	resolveClientLinks,
} from "../domain/client-links.js";
import type { Configuration } from "../domain/configuration.js";
import { checkWorkingFolder } from "../store/working-folder-access.js";
import type { ChannelDatabaseEngine } from "./channel-data/engine.js";
import { readRecord } from "./channel-data/records.js";
import { quotedName } from "./channel-data/sql-shapes.js";
import {
	configuredStore,
	currentStore,
	openTarget,
} from "./channel-data/store-target.js";
import {
	readUploadJournal,
	replicationCounter,
} from "./channel-data/upload-rows.js";
import type { DownloadProgress } from "./channel-store.js";
import { clientPaths } from "./client-paths.js";
import { signingKeyFor } from "./signing-keys.js";

/**
 * `cdx channel-db test` on the record named `name` of `configuration` (read
 * from db.json at `databasePath`): the client's links first, since a client
 * that cannot resolve them does not start; then every check.
 */
export async function testChannelDatabaseRecord(
	databasePath: string,
	configuration: Configuration,
	record: Configuration["channelDatabases"][number],
	now: Date,
): Promise<CheckResult[]> {
	const resolved = resolveClientLinks(configuration, record.name, now);
	if (!resolved.ok)
		return [
			{
				passed: false,
				text: `Configuration: ${resolved.problem}`,
				fix: "the client cannot start until it is fixed",
			},
		];
	return testChannelDatabase(
		databasePath,
		resolved.links,
		clientPaths(databasePath, record).dataFolder,
	);
}

/**
 * What the Async Client Configuration Tool checked in AX, for one channel
 * database: its working folders, its credentials, and its channel
 * database (engine, version, tables, progress, rows waiting to upload).
 * Changes nothing, except that a SQLite file that exists is opened as the
 * client opens it.
 */
async function testChannelDatabase(
	databasePath: string,
	links: ClientLinks,
	dataFolder: string,
): Promise<CheckResult[]> {
	const results: CheckResult[] = [];
	const { workingFolders, database } = links;
	for (const [label, path] of [
		["Download working folder", workingFolders.downloadPath],
		["Upload working folder", workingFolders.uploadPath],
	] as const) {
		const found = await checkWorkingFolder(path, { create: false });
		results.push(
			found.state === "ready"
				? { passed: true, text: `${label} ${path}: reachable and writable` }
				: {
						passed: false,
						text: `${label} ${path}: ${"reason" in found ? found.reason : "is not there"}`,
						fix: `mount the share, or create the folder (cdx working-folders set ${workingFolders.name} --create)`,
					},
		);
	}
	try {
		await signingKeyFor(databasePath, database);
		results.push({
			passed: true,
			text: `Credentials of user ${database.userName}: the password decrypts`,
		});
	} catch (error) {
		results.push({
			passed: false,
			text: (error as Error).message,
			fix: `enter the password again (cdx channel-db set ${database.name} --password-stdin, or the Channel database form)`,
		});
	}
	results.push(...(await checkStore(dataFolder, database.name, database)));
	return results;
}

async function checkStore(
	dataFolder: string,
	name: string,
	fields: { serverName: string; databaseName: string },
): Promise<CheckResult[]> {
	const configured = configuredStore(dataFolder, fields);
	if (!configured.ok)
		return [
			{
				passed: false,
				text: `Channel database: ${configured.problem}`,
				fix: `correct it (cdx channel-db set ${name} --server HOST[:PORT] --database NAME, or --server "" for the embedded SQLite file)`,
			},
		];
	const { target, location } = configured;
	const current = await currentStore(dataFolder).catch((error: Error) => ({
		engine: "sqlite" as const,
		location: error.message,
		serverName: "",
		databaseName: "",
	}));
	if (current !== null && current.location !== location)
		return [
			{
				passed: false,
				text: `Channel database: its data is in ${current.engine} ${current.location}, but the record names ${location}`,
				fix: `set the Retail Server fields back, or move the data (cdx channel-db set ${name} --server … --database … --move)`,
			},
		];
	if (target.engine === "sqlite" && current === null)
		return [
			{
				passed: true,
				text: `Channel database: sqlite ${location} not created yet (its client creates it when it first starts)`,
			},
		];
	let engine: ChannelDatabaseEngine;
	try {
		engine = await openTarget(target, location);
	} catch (error) {
		const { problem, fix } = error as { problem?: string; fix?: string | null };
		return [
			{
				passed: false,
				text: `Channel database: ${problem ?? (error as Error).message}`,
				fix:
					fix ??
					(target.engine === "postgresql"
						? "check that the server runs and lets the client's user in (PGSERVICE, PGUSER, PGPASSWORD or ~/.pgpass in the client's environment)"
						: "check the file and its folder's permissions"),
			},
		];
	}
	try {
		return await describeStore(engine);
	} catch (error) {
		return [
			{
				passed: false,
				text: `Channel database ${location}: ${(error as Error).message}`,
				fix: "see the message; the client's runs fail the same way until it is fixed",
			},
		];
	} finally {
		await engine.close();
	}
}

const versionQuery = {
	sqlite: "SELECT sqlite_version() AS version",
	postgresql: "SHOW server_version",
} as const;

async function describeStore(
	engine: ChannelDatabaseEngine,
): Promise<CheckResult[]> {
	const version = await engine.query(versionQuery[engine.engine]);
	const versionText = version.ok
		? String(Object.values(version.rows[0] ?? {})[0] ?? "")
		: "?";
	const { tables, progress, journal } = await engine.read(async (reader) => ({
		tables: await reader.tables(),
		progress: await readRecord<DownloadProgress>(reader, "download-progress"),
		journal: await readUploadJournal(reader),
	}));
	const results: CheckResult[] = [
		{
			passed: true,
			text: `Channel database: ${engine.engine} ${versionText} at ${engine.location} answers`,
		},
		{
			passed: true,
			text: `Tables: ${tables.size}${tables.size > 0 ? ` (${[...tables.keys()].join(", ")})` : ""}`,
		},
	];
	const groups = Object.entries(progress?.groups ?? {});
	results.push({
		passed: true,
		text:
			groups.length === 0
				? "Last applied: no download package applied yet"
				: `Last applied: ${groups.map(([group, at]) => `${group} package ${at.sequence}${at.appliedAt ? ` (${at.appliedAt})` : ""}`).join(", ")}`,
	});
	const waiting: string[] = [];
	let total = 0;
	for (const [table, schema] of tables) {
		const counter = Object.keys(schema.columns).find(
			(column) => column.toUpperCase() === replicationCounter,
		);
		if (counter === undefined) continue;
		const after = Number(journal.counters[table] ?? 0);
		const counted = await engine.query(
			`SELECT count(*) AS waiting FROM ${quotedName(table)} WHERE ${quotedName(counter)} > ${after}`,
		);
		const rows = counted.ok ? Number(counted.rows[0]?.waiting ?? 0) : 0;
		if (rows > 0) waiting.push(`${table} ${rows}`);
		total += rows;
	}
	results.push({
		passed: true,
		text: `Rows waiting to upload: ${total}${waiting.length > 0 ? ` (${waiting.join(", ")})` : ""}${journal.pending ? `; package ${journal.pending.sequence} being uploaded` : ""}`,
	});
	return results;
}
