import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	type AsyncServerProfile,
	type Configuration,
	emptyConfiguration,
} from "../../source/domain/configuration.js";
import { profileKind } from "../../source/domain/profile.js";

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

/** Where a test's database goes: db.json in a fresh folder, not created yet. */
export async function makeTempDatabasePath(): Promise<string> {
	return join(await makeTempFolder(), "db.json");
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
