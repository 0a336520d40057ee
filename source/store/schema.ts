import {
	type AsyncServerProfile,
	type Configuration,
	currentSchemaVersion,
} from "../domain/configuration.js";
import { DatabaseFileError } from "./errors.js";

type Shape = "string" | "number";

const profileShape: Record<keyof AsyncServerProfile, Shape> = {
	id: "string",
	version: "number",
	modifiedAt: "string",
	modifiedBy: "string",
	name: "string",
	description: "string",
	downloadIntervalMinutes: "number",
	uploadIntervalMinutes: "number",
};

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkRecords(
	records: unknown,
	collection: string,
	shape: Record<string, Shape>,
	file: string,
): void {
	if (!Array.isArray(records)) {
		throw new DatabaseFileError(
			`${file}: "${collection}" must be a list; the file was not changed`,
		);
	}
	records.forEach((record, index) => {
		if (!isObject(record)) {
			throw new DatabaseFileError(
				`${file}: ${collection}[${index}] must be an object; the file was not changed`,
			);
		}
		for (const [field, type] of Object.entries(shape)) {
			if (typeof record[field] !== type) {
				throw new DatabaseFileError(
					`${file}: ${collection}[${index}].${field} must be a ${type}; the file was not changed`,
				);
			}
		}
	});
}

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
	checkRecords(raw.profiles, "profiles", profileShape, file);
	return raw as Configuration;
}
