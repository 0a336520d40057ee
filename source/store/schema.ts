import {
	type Configuration,
	currentSchemaVersion,
	defaultParameters,
} from "../domain/configuration.js";
import { isObject } from "../domain/json-text.js";
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
		case "string":
		case "number":
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
				`${file}: ${where()}.${field} must be ${type === "string[]" ? "a list of strings" : `a ${type.replace("?", "")}`}; the file was not changed`,
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
	2: (raw) => ({
		...raw,
		workingFolders: [],
		dataGroups: [],
		channelDatabases: [],
		parameters: { ...defaultParameters },
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
	for (const [collection, shape] of Object.entries(shapes)) {
		const records = upgraded[collection];
		if (!Array.isArray(records)) {
			throw new DatabaseFileError(
				`${file}: "${collection}" must be a list; the file was not changed`,
			);
		}
		// Ten thousand records are read at every start: the field list is made once.
		const fields = Object.entries(shape);
		records.forEach((record, index) => {
			checkRecord(record, () => `${collection}[${index}]`, fields, file);
		});
	}
	checkRecord(
		upgraded.parameters,
		() => "parameters",
		Object.entries(parametersShape),
		file,
	);
	return upgraded as Configuration;
}
