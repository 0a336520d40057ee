import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import {
	clientPaths,
	downloadGroupFolder,
	uploadDatabaseFolder,
} from "../../source/client/client-paths.js";
import type { DownloadContext } from "../../source/client/download-cycle.js";
import { createDownloadPackage } from "../../source/client/download-packages.js";
import { SessionLog } from "../../source/client/session-log.js";
import { signingKeyFor } from "../../source/client/signing-keys.js";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import {
	buildPackage,
	type DataPackage,
	type PackageTables,
	packageFileName,
	packageText,
} from "../../source/domain/package-format.js";
import { profileKind } from "../../source/domain/profile.js";
import { describeRefusal } from "../../source/domain/record-changes.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import { writeFileAtomically } from "../../source/store/atomic-write.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { makeShareBesideDatabase } from "./database.js";

export type ClientSetup = {
	root: string;
	db: string;
	store: ConfigurationStore;
	downloadPath: string;
	uploadPath: string;
	group: string;
	/** The channel databases of `group`. */
	databases: string[];
};

export type SetupOptions = {
	databases?: string[];
	tryCount?: number;
	downloadIntervalMinutes?: number;
	uploadIntervalMinutes?: number;
	/** Adds GROUP-B (same working folders) with database OTHER-1, for foreign packages. */
	otherGroup?: boolean;
	/** The Retail Server fields of each channel database (default: none, the SQLite file); see engines.ts. */
	retailServer?: () => Promise<{ serverName: string; databaseName: string }>;
};

async function saved(outcome: Promise<{ ok: boolean }>): Promise<void> {
	const result = await outcome;
	if (!result.ok)
		throw new Error(`setup save refused: ${describeRefusal(result as never)}`);
}

/**
 * A configuration for running clients, made with the store and the record
 * kinds as an operator's saves would: profile STORES (daily by default, so
 * only run-now requests and the start-up run trigger cycles), working
 * folders HQ, data group GROUP-A with the given databases.
 */
export async function makeClientSetup(
	options: SetupOptions = {},
): Promise<ClientSetup> {
	const { root, db, downloadPath, uploadPath } =
		await makeShareBesideDatabase();
	const store = await ConfigurationStore.open(db);
	const databases = options.databases ?? ["STORE1"];
	await saved(
		store.saveParameters(
			{
				tryCount: String(options.tryCount ?? 3),
				keepDownloadSessionsDays: "30",
				keepUploadSessionsDays: "30",
				keepPackagesDays: "14",
			},
			store.getSnapshot().configuration.parameters.version,
		),
	);
	await saved(
		store.save(profileKind, {
			...profileKind.emptyDraft(),
			name: "STORES",
			downloadIntervalMinutes: String(options.downloadIntervalMinutes ?? 1440),
			uploadIntervalMinutes: String(options.uploadIntervalMinutes ?? 1440),
		}),
	);
	await saved(
		store.save(workingFoldersKind, {
			name: "HQ",
			description: "",
			downloadPath,
			uploadPath,
		}),
	);
	const groups = options.otherGroup ? ["GROUP-A", "GROUP-B"] : ["GROUP-A"];
	for (const group of groups)
		await saved(
			store.save(dataGroupKind, {
				...dataGroupKind.emptyDraft(),
				name: group,
				workingFolders: "HQ",
			}),
		);
	const members = [
		...databases.map((name) => [name, "GROUP-A"] as const),
		...(options.otherGroup ? [["OTHER-1", "GROUP-B"] as const] : []),
	];
	for (const [name, group] of members)
		await saved(
			store.save(channelDatabaseKind, {
				...channelDatabaseKind.emptyDraft(),
				name,
				dataGroup: group,
				userName: `user-${name}`,
				password: `secret for ${name}`,
				profile: "STORES",
				...(await options.retailServer?.()),
			}),
		);
	return {
		root,
		db,
		store,
		downloadPath,
		uploadPath,
		group: "GROUP-A",
		databases,
	};
}

export const groupFolder = (setup: ClientSetup, group = setup.group) =>
	downloadGroupFolder(setup.downloadPath, group);
export const uploadFolder = (setup: ClientSetup, database: string) =>
	uploadDatabaseFolder(setup.uploadPath, database);
/** The client files of the channel database named `database` (named by its record id). */
export const pathsOf = (
	setup: Pick<ClientSetup, "db">,
	database: string,
	dataFolder?: string,
) =>
	clientPaths(setup.db, channelDatabaseRecord(setup.db, database), dataFolder);

// Looked up once: a test may break db.json (or rename the record) while its client runs.
const recordIds = new Map<string, { id: string; name: string }>();

function channelDatabaseRecord(databasePath: string, name: string) {
	const known = recordIds.get(`${databasePath}\u0000${name}`);
	if (known !== undefined) return known;
	const document = JSON.parse(readFileSync(databasePath, "utf8")) as {
		channelDatabases: { id: string; name: string }[];
	};
	const record = document.channelDatabases.find(
		(candidate) => candidate.name === name,
	);
	if (record === undefined) throw new Error(`no channel database ${name}`);
	recordIds.set(`${databasePath}\u0000${name}`, record);
	return record;
}

/** A download package as `cdx package create` writes it. */
export async function createPackage(
	setup: ClientSetup,
	tables: PackageTables,
	group = setup.group,
): Promise<DataPackage> {
	const created = await createDownloadPackage({
		databasePath: setup.db,
		configuration: setup.store.getSnapshot().configuration,
		dataGroup: group,
		tables,
		now: new Date(),
	});
	if (!created.ok) throw new Error(created.problem);
	return created.package;
}

/** A package signed for `signedFor` and written under `sequence`'s name, whatever it says inside. */
export async function writeCraftedPackage(
	setup: ClientSetup,
	fields: {
		sequence: number;
		tables: PackageTables;
		dataGroup?: string;
		fileSequence?: number;
	},
	signedFor: string[] = setup.databases,
): Promise<DataPackage> {
	const configuration = setup.store.getSnapshot().configuration;
	const keys = new Map<string, Uint8Array>();
	for (const name of signedFor) {
		const database = configuration.channelDatabases.find(
			(candidate) => candidate.name === name,
		);
		if (!database) throw new Error(`no channel database ${name}`);
		keys.set(name, await signingKeyFor(setup.db, database));
	}
	const pkg = buildPackage(
		{
			kind: "download",
			dataGroup: fields.dataGroup ?? setup.group,
			channelDatabase: null,
			sequence: fields.sequence,
			createdAt: new Date().toISOString(),
			tables: fields.tables,
			sources: [],
		},
		keys,
	);
	await writePackageFile(
		setup,
		fields.fileSequence ?? fields.sequence,
		packageText(pkg),
	);
	return pkg;
}

/**
 * Packages 1 to 3 where 2 can never apply (a table name the client
 * refuses): 1 applies, and 3, holding `third`, waits behind 2.
 */
export async function packagesBlockedAt2(
	setup: ClientSetup,
	third: PackageTables,
): Promise<void> {
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	await writeCraftedPackage(setup, {
		sequence: 2,
		tables: { "NOT A TABLE": [{ key: "A" }] },
	});
	await writeCraftedPackage(setup, { sequence: 3, tables: third });
}

export async function writePackageFile(
	setup: ClientSetup,
	sequence: number,
	text: string,
): Promise<void> {
	await mkdir(groupFolder(setup), { recursive: true });
	await writeFileAtomically(
		join(groupFolder(setup), packageFileName(sequence)),
		text,
		0o640,
	);
}

/** What the POS does: a complete file appears in the outbox. */
export async function writeOutbox(
	setup: ClientSetup,
	database: string,
	name: string,
	tables: PackageTables,
): Promise<void> {
	const outbox = join(pathsOf(setup, database).dataFolder, "outbox");
	await mkdir(outbox, { recursive: true });
	await writeFileAtomically(join(outbox, name), JSON.stringify({ tables }));
}

/**
 * What the client hands runDownloadCycle for `database`, to run download
 * cycles in the test's own process. `dataFolder` (default: the database's
 * own) lets each run start from a fresh channel data store; `overrides`
 * replace parts (a store that crashes, a try count); `logged` collects the
 * log lines.
 */
export async function downloadContext(
	setup: ClientSetup,
	database = setup.databases[0] ?? "STORE1",
	dataFolder = pathsOf(setup, database).dataFolder,
	overrides: Partial<DownloadContext> = {},
): Promise<DownloadContext & { logged: string[] }> {
	const record = setup.store
		.getSnapshot()
		.configuration.channelDatabases.find(
			(candidate) => candidate.name === database,
		);
	if (!record) throw new Error(`no channel database ${database}`);
	const store =
		overrides.store ?? ChannelDataStore.forRecord(dataFolder, record);
	await store.prepare();
	const logged: string[] = [];
	return {
		store,
		sessions: await SessionLog.open(join(dataFolder, "sessions.jsonl")),
		channelDatabase: database,
		key: await signingKeyFor(setup.db, record),
		now: () => new Date(),
		log: {
			info: (message) => logged.push(message),
			error: (message) => logged.push(`error: ${message}`),
		},
		progress: () => {},
		signal: new AbortController().signal,
		dataGroup: setup.group,
		folder: groupFolder(setup),
		tryCount: 3,
		fullSyncRequestedAt: null,
		...overrides,
		logged,
	};
}
