import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isObject, parseJson } from "./json-text.js";
import {
	defaultKeyColumn,
	inferSchema,
	type PackageSchemas,
	schemaProblem,
} from "./table-schema.js";

/**
 * Data packages: what headquarters puts in the download working folder for a
 * channel data group, and what a channel database's Async Client puts in the
 * upload working folder. A package is one JSON file that says what it is; its
 * checksum covers everything but the checksum and the signatures, and each
 * signature is an HMAC of the checksum with a key derived from one channel
 * database's credentials.
 */
export const packageFormat = "cdx-data-package";
export const packageFormatVersion = 1;

export type PackageKind = "download" | "upload";

/** A row is a JSON object; its key column(s) (`key` unless the schema says otherwise) identify it within its table. */
export type PackageRow = { [column: string]: unknown };

export type PackageTables = Record<string, PackageRow[]>;

export type PackageBody = {
	format: typeof packageFormat;
	formatVersion: typeof packageFormatVersion;
	kind: PackageKind;
	/** The channel data group a download package is addressed to, or the uploader's group. */
	dataGroup: string;
	/** The uploading channel database; null for download packages (they serve the whole group). */
	channelDatabase: string | null;
	/** 1, 2, 3, … per data group (download) or per channel database (upload). */
	sequence: number;
	createdAt: string;
	rowCounts: Record<string, number>;
	tables: PackageTables;
	/**
	 * Each table's key and typed columns. Packages made before schemas were
	 * carried have none: their schemas are inferred from the rows.
	 */
	schemas?: PackageSchemas;
	/** Upload packages: the outbox files they were made from, in order. */
	sources: string[];
};

export type DataPackage = PackageBody & {
	/** "sha256:" and the hex SHA-256 of the canonical JSON of the body. */
	checksum: string;
	/** Channel database ID → hex HMAC-SHA256 of signingInput(checksum). */
	signatures: Record<string, string>;
};

/** Letters, digits and "_", starting with a letter: safe as a file name everywhere. */
const tableNamePattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const packageFileNamePattern = /^(\d{10})\.package\.json$/;

/** Packages are named by their sequence, so a folder listing sorts in apply order. */
export function packageFileName(sequence: number): string {
	return `${String(sequence).padStart(10, "0")}.package.json`;
}

/** The sequence a package file name claims, or null for any other file (temporary files included). */
export function sequenceOfFileName(name: string): number | null {
	const match = packageFileNamePattern.exec(name);
	return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * JSON with object keys sorted at every level and no white space: the same
 * value always gives the same text, whoever wrote the file and how.
 */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (typeof value === "object" && value !== null) {
		const entries = Object.entries(value)
			.filter(([, item]) => item !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries
			.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`)
			.join(",")}}`;
	}
	return JSON.stringify(value) ?? "null";
}

/** What the checksum covers: every field of the body (the type makes a new one count), not the checksum or signatures beside it. */
const bodyFields: Record<keyof PackageBody, true> = {
	format: true,
	formatVersion: true,
	kind: true,
	dataGroup: true,
	channelDatabase: true,
	sequence: true,
	createdAt: true,
	rowCounts: true,
	tables: true,
	schemas: true,
	sources: true,
};

export function packageChecksum(body: PackageBody): string {
	const canonical = canonicalJson(
		Object.fromEntries(
			Object.keys(bodyFields).map((field) => [
				field,
				body[field as keyof PackageBody],
			]),
		),
	);
	return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

/** What is signed: the checksum, with a prefix so the key signs nothing else by accident. */
export function signingInput(checksum: string): string {
	return `${packageFormat}/${packageFormatVersion} ${checksum}`;
}

export function signChecksum(key: Uint8Array, checksum: string): string {
	return createHmac("sha256", key).update(signingInput(checksum)).digest("hex");
}

export function signatureMatches(
	key: Uint8Array,
	checksum: string,
	signature: string,
): boolean {
	const expected = Buffer.from(signChecksum(key, checksum), "hex");
	const given = Buffer.from(signature, "hex");
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The rows per table, as a package states them. */
export function countRows(tables: PackageTables): Record<string, number> {
	return Object.fromEntries(
		Object.entries(tables).map(([name, rows]) => [name, rows.length]),
	);
}

/** The rows of every table; a table that is not a list (a damaged or hostile file) counts none. */
export function totalRows(tables: PackageTables): number {
	return Object.values(tables).reduce(
		(sum, rows) => sum + (Array.isArray(rows) ? rows.length : 0),
		0,
	);
}

/**
 * Builds a signed package. `keys` maps each channel database that may apply
 * (download) or that uploads (upload) to its signing key.
 */
export function buildPackage(
	fields: Omit<PackageBody, "format" | "formatVersion" | "rowCounts">,
	keys: ReadonlyMap<string, Uint8Array>,
): DataPackage {
	const body: PackageBody = {
		format: packageFormat,
		formatVersion: packageFormatVersion,
		...fields,
		rowCounts: countRows(fields.tables),
	};
	const checksum = packageChecksum(body);
	const signatures: Record<string, string> = {};
	for (const [name, key] of keys)
		signatures[name] = signChecksum(key, checksum);
	return { ...body, checksum, signatures };
}

/** The text of a package file: its fields in a fixed order, readable by people. */
export function packageText(pkg: DataPackage): string {
	return `${JSON.stringify(pkg, null, "\t")}\n`;
}

/*
 * Rows are flat records; a few levels of nesting are plenty. Checksums and
 * signatures walk the whole value recursively, so a file nested thousands
 * of levels deep would overflow the stack there instead of being refused.
 */
const deepestNesting = 64;

/** Whether `value` holds arrays or objects nested more than `limit` levels deep (checked without recursion). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
	const pending: [unknown, number][] = [[value, 0]];
	for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
		const [item, depth] = next;
		if (typeof item !== "object" || item === null) continue;
		if (depth >= limit) return true;
		for (const child of Object.values(item)) pending.push([child, depth + 1]);
	}
	return false;
}

/**
 * Why `tables` cannot be applied, or null when every table name is allowed
 * and every row is an object with its key: the key column(s) of the
 * table's schema when `schemas` gives one, else `key` (a non-empty string or
 * a number).
 */
export function tablesProblem(
	tables: unknown,
	schemas?: PackageSchemas,
): string | null {
	if (!isObject(tables))
		return `"tables" must be an object of table name → rows`;
	if (nestedDeeperThan(tables, deepestNesting))
		return `"tables" are nested more than ${deepestNesting} levels deep`;
	for (const [name, rows] of Object.entries(tables)) {
		if (!tableNamePattern.test(name))
			return `table name ${JSON.stringify(name.slice(0, 70))} is not allowed (letters, digits and "_", starting with a letter, at most 64)`;
		if (!Array.isArray(rows)) return `table ${name}: rows must be a list`;
		const key = schemas?.[name]?.key ?? [defaultKeyColumn];
		for (const [index, row] of rows.entries()) {
			if (!isObject(row))
				return `table ${name}, row ${index + 1}: must be an object`;
			for (const column of key) {
				const value = row[column];
				const usable =
					(typeof value === "string" && value !== "") ||
					(typeof value === "number" && Number.isFinite(value));
				if (!usable)
					return `table ${name}, row ${index + 1}: needs a ${JSON.stringify(column)} (a non-empty string or a number)`;
			}
		}
	}
	return null;
}

/** Each table's schema, inferred from its rows; the first table that cannot have one is the problem. */
export function inferSchemas(
	tables: PackageTables,
): { ok: true; schemas: PackageSchemas } | { ok: false; problem: string } {
	const schemas: PackageSchemas = {};
	for (const [name, rows] of Object.entries(tables)) {
		const inferred = inferSchema(name, rows);
		if (!inferred.ok) return inferred;
		schemas[name] = inferred.schema;
	}
	return { ok: true, schemas };
}

/** Why a package's stated schemas are unusable (each names a table it has), or null. */
export function schemasProblem(
	schemas: unknown,
	tables: unknown,
): string | null {
	if (schemas === undefined) return null;
	if (!isObject(schemas)) return `"schemas" must map table names to schemas`;
	for (const [name, schema] of Object.entries(schemas)) {
		if (!isObject(tables) || !Object.hasOwn(tables, name))
			return `"schemas" describes table ${JSON.stringify(name.slice(0, 70))}, which the package has no rows for`;
		const problem = schemaProblem(name, schema);
		if (problem !== null) return problem;
	}
	return null;
}

export type ParsedPackage =
	| { ok: true; package: DataPackage }
	| { ok: false; problem: string };

/**
 * Reads a package file's text and checks its envelope: format, version and
 * the type of every field. The rows are checked when they are applied (a
 * signed package with bad rows is the sender's mistake, not tampering).
 */
export function parsePackage(text: string): ParsedPackage {
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	const raw = parsed.value;
	if (!isObject(raw)) return { ok: false, problem: "not a data package" };
	if (nestedDeeperThan(raw, deepestNesting))
		return {
			ok: false,
			problem: `nested more than ${deepestNesting} levels deep`,
		};
	if (raw.format !== packageFormat)
		return {
			ok: false,
			problem: `not a data package (format is not "${packageFormat}")`,
		};
	if (raw.formatVersion !== packageFormatVersion)
		return {
			ok: false,
			problem: `package format version ${JSON.stringify(raw.formatVersion)} is not supported (this client reads ${packageFormatVersion})`,
		};
	const problem = envelopeProblem(raw);
	return problem === null
		? { ok: true, package: raw as DataPackage }
		: { ok: false, problem };
}

function envelopeProblem(raw: Record<string, unknown>): string | null {
	if (raw.kind !== "download" && raw.kind !== "upload")
		return `"kind" must be "download" or "upload"`;
	if (typeof raw.dataGroup !== "string") return `"dataGroup" must be text`;
	if (raw.channelDatabase !== null && typeof raw.channelDatabase !== "string")
		return `"channelDatabase" must be text or null`;
	if (!Number.isSafeInteger(raw.sequence) || (raw.sequence as number) < 1)
		return `"sequence" must be a whole number of at least 1`;
	if (
		typeof raw.createdAt !== "string" ||
		Number.isNaN(Date.parse(raw.createdAt))
	)
		return `"createdAt" must be a date`;
	if (!isObject(raw.rowCounts)) return `"rowCounts" must be an object`;
	if (!isObject(raw.tables)) return `"tables" must be an object`;
	const schemas = schemasProblem(raw.schemas, raw.tables);
	if (schemas !== null) return schemas;
	if (
		!Array.isArray(raw.sources) ||
		!raw.sources.every((s) => typeof s === "string")
	)
		return `"sources" must be a list of file names`;
	if (typeof raw.checksum !== "string") return `"checksum" is missing`;
	if (
		!isObject(raw.signatures) ||
		!Object.values(raw.signatures).every((value) => typeof value === "string")
	)
		return `"signatures" must map channel database IDs to signatures`;
	return null;
}
