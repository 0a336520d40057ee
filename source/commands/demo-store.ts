import { randomBytes, randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { createDownloadPackage } from "../client/download-packages.js";
import { listFolder } from "../client/shared-files.js";
import { channelDatabaseKind } from "../domain/channel-database.js";
import type { Collection, Configuration } from "../domain/configuration.js";
import { dataGroupKind } from "../domain/data-group.js";
import { type PackageTables, totalRows } from "../domain/package-format.js";
import { profileKind } from "../domain/profile.js";
import { describeRefusal } from "../domain/record-changes.js";
import {
	type AnyRecordKind,
	type Draft,
	recordsOf,
} from "../domain/record-kind.js";
import { countOf, quoted } from "../domain/text.js";
import { describeProblem, sameName } from "../domain/validation.js";
import { workingFoldersKind } from "../domain/working-folders.js";
import type { ConfigurationStore } from "../store/configuration-store.js";
import { checkWorkingFolder } from "../store/working-folder-access.js";
import {
	createManifest,
	type DemoManifest,
	type DemoRecord,
	isLeftManifestTemporary,
	newManifest,
	readManifest,
	removeLeftManifestTemporaries,
	writeManifest,
} from "./demo-manifest.js";

type DemoStep = { kind: AnyRecordKind; draft: Draft };

/** The version the store gives a record it adds. */
const newRecordVersion = 1;

export const demoNames = {
	intervalProfile: "DEMO-EVERY-MINUTE",
	cronProfile: "DEMO-CRON",
	workingFolders: "DEMO-FOLDERS",
	dataGroup: "DEMO-GROUP",
	databases: ["DEMO-STORE-1", "DEMO-STORE-2"],
} as const;

/** The records of the example store, in the order they link to each other. */
function demoSteps(folder: string): DemoStep[] {
	const [first, second] = demoNames.databases;
	return [
		{
			kind: profileKind as AnyRecordKind,
			draft: {
				...profileKind.emptyDraft(),
				name: demoNames.intervalProfile,
				description: "Demo: download every minute, upload every 2",
				downloadIntervalMinutes: "1",
				uploadIntervalMinutes: "2",
			},
		},
		{
			kind: profileKind as AnyRecordKind,
			draft: {
				...profileKind.emptyDraft(),
				name: demoNames.cronProfile,
				description: "Demo: cron, download every 2 min, upload every 5",
				downloadIntervalMinutes: "60",
				uploadIntervalMinutes: "60",
				downloadCron: "*/2 * * * *",
				uploadCron: "*/5 * * * *",
				timeZone: "UTC",
			},
		},
		{
			kind: workingFoldersKind as AnyRecordKind,
			draft: {
				name: demoNames.workingFolders,
				description: "Demo: headquarters' share, on this machine",
				downloadPath: join(folder, "download"),
				uploadPath: join(folder, "upload"),
			},
		},
		{
			kind: dataGroupKind as AnyRecordKind,
			draft: {
				...dataGroupKind.emptyDraft(),
				name: demoNames.dataGroup,
				description: "Demo: the stores of the example",
				workingFolders: demoNames.workingFolders,
			},
		},
		...(
			[
				[first, demoNames.intervalProfile, "DEMO-S1"],
				[second, demoNames.cronProfile, "DEMO-S2"],
			] as const
		).map(([name, profile, channel]) => ({
			kind: channelDatabaseKind as unknown as AnyRecordKind,
			draft: {
				...channelDatabaseKind.emptyDraft(),
				name,
				dataGroup: demoNames.dataGroup,
				userName: name.toLowerCase(),
				// Only the demo's own packages are signed with it; nobody types it.
				password: randomBytes(18).toString("base64url"),
				profile,
				channels: channel,
			},
		})),
	];
}

/** What headquarters would send first: products, their prices, then a price change. */
const demoPackages: PackageTables[] = [
	{
		PRODUCTS: [
			{ key: "P-100", name: "Coffee beans 1 kg", unit: "pcs" },
			{ key: "P-200", name: "Espresso cup", unit: "pcs" },
			{ key: "P-300", name: "Milk 1 l", unit: "pcs" },
		],
	},
	{
		PRICES: [
			{ key: "P-100", price: 12.5 },
			{ key: "P-200", price: 4 },
			{ key: "P-300", price: 1.2 },
		],
	},
	{ PRICES: [{ key: "P-100", price: 11.9 }] },
];

/** A record of the demo's that someone already has, under the same name or user name. */
function takenName(
	configuration: Configuration,
	steps: DemoStep[],
): string | null {
	for (const { kind, draft } of steps) {
		const taken = recordsOf(configuration, kind.collection as Collection).find(
			(record) => sameName(kind.nameOf(record), draft.name ?? ""),
		);
		if (taken)
			return `${kind.title} ${quoted(draft.name ?? "")} exists already`;
		const userName = draft.userName;
		const sameUser = configuration.channelDatabases.find(
			(database) => userName !== undefined && database.userName === userName,
		);
		if (sameUser)
			return `channel database ${quoted(sameUser.name)} already uses the user name ${quoted(userName ?? "")}`;
	}
	return null;
}

export type DemoFolder =
	| { state: "free" }
	| { state: "there-already"; manifest: DemoManifest }
	| { state: "refused"; problem: string };

/**
 * Whether the demo can go in `folder` (new or empty), or is there already
 * for this database. Needs no store, so a refusal creates nothing, not
 * even an empty db.json.
 */
export async function checkDemoFolder(
	folder: string,
	databasePath: string,
): Promise<DemoFolder> {
	const existing = await readManifest(folder);
	if (existing.found === "unreadable")
		return { state: "refused", problem: existing.problem };
	if (existing.found === "manifest") {
		if (existing.manifest.database !== databasePath)
			return {
				state: "refused",
				problem: `${folder}: holds the demo of another database (${existing.manifest.database}); choose another folder with --folder`,
			};
		return { state: "there-already", manifest: existing.manifest };
	}
	try {
		const entries = (await listFolder(folder)).filter(
			(entry) =>
				!(entry.kind === "file" && isLeftManifestTemporary(entry.name)),
		);
		if (entries.length === 0) return { state: "free" };
	} catch (error) {
		const reason =
			(error as NodeJS.ErrnoException).code === "ENOTDIR"
				? "is a file, not a folder"
				: "cannot be read";
		return {
			state: "refused",
			problem: `${folder}: ${reason}; choose another folder with --folder`,
		};
	}
	return {
		state: "refused",
		problem: `${folder}: exists and is not empty; the demo needs a new or empty folder (--folder DIR)`,
	};
}

export type DemoAdded =
	| { outcome: "added"; manifest: DemoManifest }
	| { outcome: "refused"; problem: string }
	/** A step failed after others were saved: the manifest says what is there, --remove removes it. */
	| { outcome: "cut-short"; problem: string; manifest: DemoManifest };

/**
 * Builds the example store in a folder checkDemoFolder found free: the
 * records, and signed download packages, writing the manifest after each
 * step so that `cdx demo --remove` can always take back what is there.
 * Everything that can refuse is checked before anything is written.
 */
export async function addDemo(settings: {
	store: ConfigurationStore;
	folder: string;
	now: Date;
}): Promise<DemoAdded> {
	const { store, folder, now } = settings;
	const steps = demoSteps(folder);
	const configuration = store.getSnapshot().configuration;
	const taken = takenName(configuration, steps);
	if (taken)
		return {
			outcome: "refused",
			problem: `${taken}, not from a demo in ${folder} (from a demo in another folder, or your own): nothing was added`,
		};
	for (const { kind, draft } of steps) {
		const checked = kind.validate(draft, configuration, undefined);
		// Links to the demo's own records are not there yet: only they may be missing.
		const problems = checked.ok
			? []
			: checked.problems.filter(
					(problem) =>
						!["workingFolders", "dataGroup", "profile"].includes(problem.field),
				);
		if (problems.length > 0)
			return {
				outcome: "refused",
				problem: `${folder}: ${problems.map(describeProblem).join("; ")}; nothing was added`,
			};
	}

	await mkdir(folder, { recursive: true, mode: 0o700 });
	await removeLeftManifestTemporaries(folder);
	const manifest = newManifest(store.path, folder, now);
	if (!(await createManifest(manifest)))
		return {
			outcome: "refused",
			problem: `${folder}: another cdx demo is building the demo here; nothing was added`,
		};
	const cutShort = (problem: string): DemoAdded => ({
		outcome: "cut-short",
		problem,
		manifest,
	});
	for (const path of [join(folder, "download"), join(folder, "upload")]) {
		const found = await checkWorkingFolder(path, { create: true });
		if (found.state === "unusable") return cutShort(`${path}: ${found.reason}`);
	}
	for (const { kind, draft } of steps) {
		// Listed before it is saved, under the id it will get: killed between
		// the two, the demo leaves no record its manifest does not name (one
		// that never came is skipped by --remove).
		const entry: DemoRecord = {
			collection: kind.collection as Collection,
			id: randomUUID(),
			name: draft.name ?? "",
			version: newRecordVersion,
		};
		manifest.records.push(entry);
		await writeManifest(manifest);
		const saved = await store.save(kind, draft, undefined, entry.id);
		if (!saved.ok) return cutShort(describeRefusal(saved));
		if (saved.record.version !== entry.version) {
			entry.version = saved.record.version;
			await writeManifest(manifest);
		}
	}
	for (const tables of demoPackages) {
		const created = await createDownloadPackage({
			databasePath: store.path,
			configuration: store.getSnapshot().configuration,
			dataGroup: demoNames.dataGroup,
			tables,
			now,
		});
		if (!created.ok) return cutShort(created.problem);
		manifest.packages.push({
			file: basename(created.file),
			checksum: created.package.checksum,
		});
		await writeManifest(manifest);
	}
	manifest.complete = true;
	await writeManifest(manifest);
	return { outcome: "added", manifest };
}

/** "sequence 1: PRODUCTS, 3 rows" per package, for the report (the group's folder was new: sequences start at 1). */
export function describePackages(): string[] {
	return demoPackages.map(
		(tables, index) =>
			`sequence ${index + 1}: ${Object.keys(tables).join(", ")}, ${countOf(totalRows(tables), "row")}`,
	);
}
