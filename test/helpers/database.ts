import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import {
	type AsyncServerProfile,
	type Configuration,
	emptyConfiguration,
} from "../../source/domain/configuration.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import { profileKind } from "../../source/domain/profile.js";
import type { Draft } from "../../source/domain/record-kind.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import type { ConfigurationStore } from "../../source/store/configuration-store.js";

let testRoot: string | undefined;

/**
 * A fresh, empty folder for one test. All of them live in one folder per
 * test process, removed when the process exits.
 */
export function makeTempFolder(): Promise<string> {
	if (testRoot === undefined) {
		const root = mkdtempSync(join(tmpdir(), "cdx-test-"));
		process.on("exit", () => rmSync(root, { recursive: true, force: true }));
		testRoot = root;
	}
	return mkdtemp(join(testRoot, "test-"));
}

/**
 * A fresh folder for db.json (not created yet) and headquarters' share,
 * hq/, with both working folders made, as `--create` makes them.
 */
export async function makeShareBesideDatabase(): Promise<{
	root: string;
	db: string;
	downloadPath: string;
	uploadPath: string;
}> {
	const root = await makeTempFolder();
	const downloadPath = join(root, "hq", "download");
	const uploadPath = join(root, "hq", "upload");
	await mkdir(downloadPath, { recursive: true });
	await mkdir(uploadPath, { recursive: true });
	return { root, db: join(root, "db.json"), downloadPath, uploadPath };
}

/** Where a test's database goes: db.json in a fresh folder, not created yet. */
export async function makeTempDatabasePath(): Promise<string> {
	return join(await makeTempFolder(), "db.json");
}

/** A profile form as an operator typed it, valid unless `fields` change it. */
export function profileDraft(fields: Partial<Draft> = {}): Draft {
	return {
		...profileKind.emptyDraft(),
		name: "STORE-DEFAULT",
		description: "Stores",
		downloadIntervalMinutes: "15",
		uploadIntervalMinutes: "30",
		...fields,
	};
}

/**
 * A profile record as db.json holds it: the profile form's defaults with a
 * 15 minute download and 30 minute upload interval, overridden by `fields`.
 */
export function makeProfile(
	name: string,
	fields: Partial<AsyncServerProfile> = {},
): AsyncServerProfile {
	const validated = profileKind.validate(
		{
			...profileKind.emptyDraft(),
			name,
			downloadIntervalMinutes: "15",
			uploadIntervalMinutes: "30",
		},
		emptyConfiguration(),
		undefined,
	);
	if (!validated.ok)
		throw new Error(
			`makeProfile(${JSON.stringify(name)}): not a valid profile`,
		);
	return {
		id: `id-${name}`,
		...validated.value,
		version: 1,
		modifiedAt: "2026-11-26T08:00:00.000Z",
		modifiedBy: "tester@store",
		...fields,
	};
}

/** `count` profiles named PROFILE-1, PROFILE-2, … */
export function makeProfiles(count: number): AsyncServerProfile[] {
	return Array.from({ length: count }, (_, index) =>
		makeProfile(`PROFILE-${index + 1}`),
	);
}

/** A configuration of the current schema holding the given profiles and nothing else. */
export function makeConfiguration(
	profiles: AsyncServerProfile[] = [],
): Configuration {
	return { ...emptyConfiguration(), profiles };
}

/** A db.json (mode 0600) in a fresh folder holding the given profiles. */
export function makeTempDatabase(
	profiles: AsyncServerProfile[] = [],
): Promise<string> {
	return writeTempDatabase(
		`${JSON.stringify(makeConfiguration(profiles), null, "\t")}\n`,
	);
}

/** A db.json in a fresh folder holding exactly `text`: for corrupt or foreign files. */
export async function writeTempDatabase(text: string): Promise<string> {
	const path = await makeTempDatabasePath();
	await writeFile(path, text, { mode: 0o600 });
	return path;
}

/** The database as it is on disk, parsed without any of the store's checks. */
export async function readDatabase(path: string): Promise<Configuration> {
	return JSON.parse(await readFile(path, "utf8")) as Configuration;
}

/** The file's exact bytes, to prove a refused change left it alone. */
export function readBytes(path: string): Promise<Buffer> {
	return readFile(path);
}

/**
 * A whole store set up as an operator would, through the store: working
 * folders WF1, data group DG1, profile P1 and channel database STORE-1
 * (user "user1", password "s3cret-pass") bound to P1.
 */
export async function seedChannelIntegration(
	store: ConfigurationStore,
	folder = "/srv/cdx",
): Promise<void> {
	const steps: [SavableKind, Record<string, string>][] = [
		[
			workingFoldersKind,
			{
				name: "WF1",
				description: "",
				downloadPath: `${folder}/download`,
				uploadPath: `${folder}/upload`,
			},
		],
		[
			dataGroupKind,
			{
				name: "DG1",
				description: "",
				schema: "AX 2012 R3",
				workingFolders: "WF1",
			},
		],
		[
			profileKind,
			{
				...profileKind.emptyDraft(),
				name: "P1",
				downloadIntervalMinutes: "15",
				uploadIntervalMinutes: "30",
			},
		],
		[
			channelDatabaseKind,
			{
				...channelDatabaseKind.emptyDraft(),
				name: "STORE-1",
				dataGroup: "DG1",
				userName: "user1",
				password: "s3cret-pass",
				profile: "P1",
				channels: "S0001",
			},
		],
	];
	for (const [kind, draft] of steps) {
		const outcome = await store.save(kind, draft);
		if (!outcome.ok)
			throw new Error(`seed ${kind.title}: ${JSON.stringify(outcome)}`);
	}
}

// Each kind has its own field types; the seed only passes drafts through.
type SavableKind = Parameters<ConfigurationStore["save"]>[0];
