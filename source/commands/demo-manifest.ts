import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { publishCreateOnly } from "../client/shared-files.js";
import type { Collection } from "../domain/configuration.js";
import { isObject, parseJson } from "../domain/json-text.js";
import {
	isAbandonedTemporary,
	removeLeftoverTemporaryFiles,
	writeFileAtomically,
} from "../store/atomic-write.js";

/**
 * What `cdx demo` added, kept in its folder: `cdx demo --remove` removes
 * exactly these records (at the version the demo saved) and files, so an
 * operator's own records and files are never touched.
 */
export type DemoManifest = {
	format: typeof manifestFormat;
	formatVersion: 1;
	/** The real path of the db.json the records are in. */
	database: string;
	folder: string;
	createdAt: string;
	/** False until every step ran: a demo cut short is removed, not continued. */
	complete: boolean;
	records: DemoRecord[];
	/** The download packages it wrote, in the data group's folder. */
	packages: { file: string; checksum: string }[];
};

export type DemoRecord = {
	collection: Collection;
	id: string;
	name: string;
	version: number;
};

const manifestFormat = "cdx-demo";
const manifestName = "cdx-demo.json";

export function manifestPath(folder: string): string {
	return join(folder, manifestName);
}

/**
 * A manifest's temporary file whose writer is gone: all a demo killed
 * before its manifest was in place added. A folder holding only these is
 * as good as empty.
 */
export function isLeftManifestTemporary(name: string): boolean {
	return name.startsWith(`.${manifestName}.`) && isAbandonedTemporary(name);
}

/** Removes what isLeftManifestTemporary names (before a new demo starts in the folder, or by --remove); resolves to how many. */
export function removeLeftManifestTemporaries(folder: string): Promise<number> {
	return removeLeftoverTemporaryFiles(folder, manifestName);
}

export function newManifest(
	database: string,
	folder: string,
	now: Date,
): DemoManifest {
	return {
		format: manifestFormat,
		formatVersion: 1,
		database,
		folder,
		createdAt: now.toISOString(),
		complete: false,
		records: [],
		packages: [],
	};
}

function manifestText(manifest: DemoManifest): string {
	return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The first manifest, created only where none is: of two `cdx demo` started
 * at once in one folder, the second stops here, before it saves anything.
 * Published whole (a temporary file, then a link), so a kill while writing
 * it never leaves a half manifest that --remove would refuse to read.
 */
export async function createManifest(manifest: DemoManifest): Promise<boolean> {
	const published = await publishCreateOnly(
		manifestPath(manifest.folder),
		Buffer.from(manifestText(manifest)),
		0o600,
	);
	return published.outcome === "created";
}

export function writeManifest(manifest: DemoManifest): Promise<void> {
	return writeFileAtomically(
		manifestPath(manifest.folder),
		manifestText(manifest),
	);
}

const collections: Collection[] = [
	"profiles",
	"workingFolders",
	"dataGroups",
	"channelDatabases",
];

function isDemoRecord(value: unknown): value is DemoRecord {
	return (
		isObject(value) &&
		collections.includes(value.collection as Collection) &&
		typeof value.id === "string" &&
		typeof value.name === "string" &&
		Number.isInteger(value.version)
	);
}

function isPackageEntry(
	value: unknown,
): value is DemoManifest["packages"][number] {
	return (
		isObject(value) &&
		typeof value.file === "string" &&
		/^[0-9]{10}\.package\.json$/.test(value.file) &&
		typeof value.checksum === "string"
	);
}

export type ReadManifest =
	| { found: "none" }
	| { found: "manifest"; manifest: DemoManifest }
	| { found: "unreadable"; problem: string };

/** The folder's manifest; anything that is not one this cdx wrote is "unreadable", never guessed at. */
export async function readManifest(folder: string): Promise<ReadManifest> {
	const path = manifestPath(folder);
	let text: string;
	try {
		text = await readFile(path, "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT")
			return { found: "none" };
		return { found: "unreadable", problem: `${path}: cannot be read` };
	}
	const parsed = parseJson(text);
	const value = parsed.ok ? parsed.value : undefined;
	if (
		!isObject(value) ||
		value.format !== manifestFormat ||
		value.formatVersion !== 1 ||
		typeof value.database !== "string" ||
		typeof value.folder !== "string" ||
		typeof value.createdAt !== "string" ||
		typeof value.complete !== "boolean" ||
		!Array.isArray(value.records) ||
		!value.records.every(isDemoRecord) ||
		!Array.isArray(value.packages) ||
		!value.packages.every(isPackageEntry)
	)
		return {
			found: "unreadable",
			problem: `${path}: not a demo manifest this cdx wrote`,
		};
	return { found: "manifest", manifest: value as DemoManifest };
}
