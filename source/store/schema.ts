import { channelDatabaseKind } from "../domain/channel-database.js";
import {
	type Configuration,
	currentSchemaVersion,
	defaultParameters,
} from "../domain/configuration.js";
import { dataGroupKind } from "../domain/data-group.js";
import { isObject } from "../domain/json-text.js";
import { profileKind } from "../domain/profile.js";
import { quoted } from "../domain/text.js";
import { workingFoldersKind } from "../domain/working-folders.js";
import { DatabaseFileError } from "./errors.js";

type Shape = "string" | "number" | "boolean" | "string[]" | "string?";

const meta = {
	id: "string",
	version: "number",
	modifiedAt: "string",
	modifiedBy: "string",
} as const;

/** The fields each record must have, checked on every read. */
const shapes: Record<string, Record<string, Shape>> = {
	profiles: {
		...meta,
		name: "string",
		description: "string",
		downloadIntervalMinutes: "number",
		uploadIntervalMinutes: "number",
		downloadCron: "string",
		uploadCron: "string",
		timeZone: "string",
	},
	workingFolders: {
		...meta,
		name: "string",
		description: "string",
		downloadPath: "string",
		uploadPath: "string",
	},
	dataGroups: {
		...meta,
		name: "string",
		description: "string",
		schema: "string",
		workingFoldersId: "string",
	},
	channelDatabases: {
		...meta,
		name: "string",
		dataGroupId: "string",
		userName: "string",
		passwordSecret: "string",
		profileId: "string",
		channels: "string[]",
		serverName: "string",
		databaseName: "string",
		spreadLoad: "boolean",
		fullSyncRequestedAt: "string?",
	},
};

const parametersShape: Record<string, Shape> = {
	...meta,
	tryCount: "number",
	keepDownloadSessionsDays: "number",
	keepUploadSessionsDays: "number",
	keepPackagesDays: "number",
};

function fits(value: unknown, shape: Shape): boolean {
	switch (shape) {
		case "number":
			return Number.isFinite(value);
		case "string":
		case "boolean":
			return typeof value === shape;
		case "string?":
			return value === undefined || typeof value === "string";
		case "string[]":
			return (
				Array.isArray(value) && value.every((item) => typeof item === "string")
			);
		default: {
			const unknown: never = shape;
			throw new TypeError(`unknown shape ${String(unknown)}`);
		}
	}
}

function checkRecord(
	record: unknown,
	where: () => string,
	fields: readonly [string, Shape][],
	file: string,
): void {
	if (!isObject(record)) {
		throw new DatabaseFileError(
			`${file}: ${where()} must be an object; the file was not changed`,
		);
	}
	for (const [field, type] of fields) {
		if (!fits(record[field], type)) {
			throw new DatabaseFileError(
				`${file}: ${where()}.${field} must be ${describeShape(type)}; the file was not changed`,
			);
		}
	}
}

function describeShape(shape: Shape): string {
	switch (shape) {
		case "string[]":
			return "a list of strings";
		case "number":
			return "a finite number";
		default:
			return `a ${shape.replace("?", "")}`;
	}
}

/**
 * Where the first number that is not finite is (JSON.parse reads 1e309 as
 * Infinity, and JSON.stringify would write it back as null), as a path
 * like `profiles[2].downloadIntervalMinutes`; null when there is none.
 * Walked with a stack, not recursion: a hand-edited file may nest deeply.
 */
function nonFiniteNumberAt(raw: unknown): string | null {
	const stack: { value: unknown; path: string }[] = [{ value: raw, path: "" }];
	for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
		const { value, path } = next;
		if (typeof value === "number") {
			if (!Number.isFinite(value)) return path;
		} else if (Array.isArray(value)) {
			for (const [index, item] of value.entries())
				if (typeof item === "object" || typeof item === "number")
					stack.push({ value: item, path: `${path}[${index}]` });
		} else if (isObject(value)) {
			for (const [key, item] of Object.entries(value))
				if (typeof item === "object" || typeof item === "number")
					stack.push({ value: item, path: path ? `${path}.${key}` : key });
		}
	}
	return null;
}

/** The record collections: the form that edits each and the schema version that added it. */
const collections = [
	{ name: "profiles", kind: profileKind, since: 1 },
	{ name: "workingFolders", kind: workingFoldersKind, since: 2 },
	{ name: "dataGroups", kind: dataGroupKind, since: 2 },
	{ name: "channelDatabases", kind: channelDatabaseKind, since: 2 },
] as const;

/** A list of records, as every version since `since` has it; checked before an upgrade reads it. */
function checkList(
	raw: Record<string, unknown>,
	collection: string,
	file: string,
): unknown[] {
	const records = raw[collection];
	if (!Array.isArray(records))
		throw new DatabaseFileError(
			`${file}: "${collection}" must be a list; the file was not changed`,
		);
	for (const [index, record] of records.entries())
		if (!isObject(record))
			throw new DatabaseFileError(
				`${file}: ${collection}[${index}] must be an object; the file was not changed`,
			);
	return records;
}

/**
 * Refuses two records of one list with the same id (a save of one would
 * overwrite both) or the same name where the form wants names unique.
 */
function checkUnique(
	records: Record<string, unknown>[],
	collection: (typeof collections)[number],
	file: string,
): void {
	const keys: { field: string; same: (value: string) => string }[] = [
		{ field: "id", same: (value) => value },
		{ field: "name", same: (value) => value.trim().toLowerCase() },
		// A channel database's user name is the key its packages are signed for.
		...(collection.name === "channelDatabases"
			? [{ field: "userName", same: (value: string) => value }]
			: []),
	];
	for (const { field, same } of keys) {
		const seen = new Map<string, number>();
		for (const [index, record] of records.entries()) {
			const value = String(record[field]);
			const first = seen.get(same(value));
			if (first === undefined) {
				seen.set(same(value), index);
				continue;
			}
			const firstValue = String(records[first]?.[field]);
			const values =
				firstValue === value
					? quoted(value)
					: `${quoted(firstValue)} and ${quoted(value)}`;
			const noun = { id: "id", name: "name", userName: "user name" }[field];
			throw new DatabaseFileError(
				`${file}: ${collection.kind.title}: two records have the ${noun} ${values} (${collection.name}[${first}] and ${collection.name}[${index}]); ${noun}s must be unique${field === "name" ? " ignoring case" : ""}: change or remove one; the file was not changed`,
			);
		}
	}
}

/**
 * Each step upgrades a file from the version before it. A step only adds
 * what the new version needs, so no field of the old file is lost.
 */
const migrations: Record<
	number,
	(raw: Record<string, unknown>) => Record<string, unknown>
> = {
	// Version 2 adds the rest of Channel integration and the scheduler parameters.
	// A hand-edited file may have them already: those are kept (and checked as any).
	2: (raw) => ({
		...raw,
		workingFolders: raw.workingFolders ?? [],
		dataGroups: raw.dataGroups ?? [],
		channelDatabases: raw.channelDatabases ?? [],
		parameters: raw.parameters ?? { ...defaultParameters },
	}),
	// Version 3 adds cron schedules with a time zone, and load spreading.
	3: (raw) => ({
		...raw,
		profiles: (raw.profiles as Record<string, unknown>[]).map((profile) => ({
			downloadCron: "",
			uploadCron: "",
			timeZone: "UTC",
			...profile,
		})),
		channelDatabases: (raw.channelDatabases as Record<string, unknown>[]).map(
			(database) => ({
				spreadLoad: false,
				...database,
			}),
		),
	}),
};

/**
 * Turns parsed JSON into a Configuration, upgrading older schema versions
 * step by step. A newer version or a wrong shape is refused: this program
 * would not understand it, so it must not write it back.
 */
export function toConfiguration(raw: unknown, file: string): Configuration {
	if (!isObject(raw) || typeof raw.schemaVersion !== "number") {
		throw new DatabaseFileError(
			`${file}: not a cdx-scheduler database (no schemaVersion); the file was not changed`,
		);
	}
	if (raw.schemaVersion > currentSchemaVersion) {
		throw new DatabaseFileError(
			`${file}: written by a newer cdx-scheduler (schema version ${raw.schemaVersion}, this one understands up to ${currentSchemaVersion}); upgrade cdx-scheduler, the file was not changed`,
		);
	}
	if (!Number.isInteger(raw.schemaVersion) || raw.schemaVersion < 1) {
		throw new DatabaseFileError(
			`${file}: schemaVersion must be a whole number from 1 to ${currentSchemaVersion}; the file was not changed`,
		);
	}
	const badNumber = nonFiniteNumberAt(raw);
	if (badNumber !== null)
		throw new DatabaseFileError(
			`${file}: ${badNumber} must be a finite number (numbers this large read as Infinity); the file was not changed`,
		);
	// An upgrade reads the lists the file's own version has, and those a hand
	// edit already added (they are kept): they must be lists of objects.
	for (const collection of collections)
		if (
			collection.since <= raw.schemaVersion ||
			raw[collection.name] !== undefined
		)
			checkList(raw, collection.name, file);
	let upgraded = raw;
	for (
		let version = raw.schemaVersion + 1;
		version <= currentSchemaVersion;
		version++
	) {
		const migrate = migrations[version];
		if (!migrate) throw new Error(`no migration to schema version ${version}`);
		upgraded = { ...migrate(upgraded), schemaVersion: version };
	}
	for (const collection of collections) {
		const records = checkList(upgraded, collection.name, file);
		// Ten thousand records are read at every start: the field list is made once.
		const fields = Object.entries(shapes[collection.name] ?? {});
		records.forEach((record, index) => {
			checkRecord(record, () => `${collection.name}[${index}]`, fields, file);
		});
		checkUnique(records as Record<string, unknown>[], collection, file);
	}
	checkRecord(
		upgraded.parameters,
		() => "parameters",
		Object.entries(parametersShape),
		file,
	);
	return upgraded as Configuration;
}
