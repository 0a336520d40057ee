import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type {
	ChannelDatabase,
	ChannelDataGroup,
	Configuration,
	WorkingFolders,
} from "../domain/configuration.js";
import { groupFolders, groupMembers } from "../domain/data-group.js";
import {
	buildPackage,
	type DataPackage,
	type PackageTables,
	packageFileName,
	packageText,
	schemasProblem,
	sequenceOfFileName,
	tablesProblem,
} from "../domain/package-format.js";
import {
	inferSchema,
	type PackageSchemas,
	rowProblem,
} from "../domain/table-schema.js";
import { quoted } from "../domain/text.js";
import { sameName } from "../domain/validation.js";
import { withFileLock } from "../store/lock.js";
import { downloadGroupFolder } from "./client-paths.js";
import {
	listCompleteFiles,
	readJsonIfPresent,
	sharedFileMode,
} from "./files.js";
import { publishCreateOnly, replaceOwnFile } from "./shared-files.js";
import { signingKeyFor } from "./signing-keys.js";

export type FoundDataGroup =
	| {
			ok: true;
			group: ChannelDataGroup;
			folders: WorkingFolders;
			members: ChannelDatabase[];
	  }
	| { ok: false; problem: string };

/** A channel data group by name, with its working folders and its channel databases. */
export function findDataGroup(
	configuration: Configuration,
	name: string,
): FoundDataGroup {
	const group = configuration.dataGroups.find((candidate) =>
		sameName(candidate.name, name),
	);
	if (!group)
		return {
			ok: false,
			problem: `Channel data group ${quoted(name)} does not exist (see the Channel data group form)`,
		};
	const folders = groupFolders(configuration, group);
	if (!folders)
		return {
			ok: false,
			problem: `Channel data group ${quoted(group.name)} has no working folders; choose a set on the Channel data group form`,
		};
	return {
		ok: true,
		group,
		folders,
		members: groupMembers(configuration, group.id),
	};
}

export type CreatedPackage =
	| { ok: true; file: string; package: DataPackage }
	| { ok: false; problem: string };

/** Kept in the data group's folder: the last sequence handed out, even after retention removed its package. */
const sequenceIndexName = "sequence.json";

/**
 * What a distribution job at headquarters produces: one download package for
 * a channel data group, with the next sequence of that group, signed once
 * for each channel database of the group. The sequence is taken under a
 * lock from the index file and the packages in the folder (quarantine
 * included), so two jobs at once never hand out the same one.
 */
export async function createDownloadPackage(settings: {
	databasePath: string;
	configuration: Configuration;
	dataGroup: string;
	tables: unknown;
	/** The input's own table schemas (key columns, types); tables without one have theirs inferred from the rows. */
	schemas?: unknown;
	now: Date;
}): Promise<CreatedPackage> {
	const found = findDataGroup(settings.configuration, settings.dataGroup);
	if (!found.ok) return found;
	const { group, folders, members } = found;
	if (members.length === 0)
		return {
			ok: false,
			problem: `Channel data group ${quoted(group.name)} has no channel databases to sign for; add one on the Channel database form`,
		};
	const described = describeTables(settings.tables, settings.schemas);
	if (!described.ok) return described;
	const { tables, schemas } = described;
	const keys = new Map<string, Uint8Array>();
	for (const member of members) {
		try {
			keys.set(member.name, await signingKeyFor(settings.databasePath, member));
		} catch (error) {
			return { ok: false, problem: (error as Error).message };
		}
	}
	const folder = downloadGroupFolder(folders.downloadPath, group.name);
	await mkdir(folder, { recursive: true, mode: 0o750 });
	const index = join(folder, sequenceIndexName);
	return withFileLock(index, async () => {
		const sequence = (await lastSequence(folder)) + 1;
		const pkg = buildPackage(
			{
				kind: "download",
				dataGroup: group.name,
				channelDatabase: null,
				sequence,
				createdAt: settings.now.toISOString(),
				tables,
				schemas,
				sources: [],
			},
			keys,
		);
		const file = join(folder, packageFileName(sequence));
		// Never over a file or link someone else put in the shared folder.
		const published = await publishCreateOnly(
			file,
			Buffer.from(packageText(pkg)),
			sharedFileMode,
		);
		if (published.outcome === "taken")
			return { ok: false, problem: published.problem };
		await replaceOwnFile(
			index,
			`${JSON.stringify({ lastSequence: sequence }, null, "\t")}\n`,
			sharedFileMode,
		);
		return { ok: true, file, package: pkg };
	});
}

/**
 * The input's tables with a schema for each: the one the input states, or
 * one inferred from the rows. Every row is checked against it here, so a
 * package that could not be applied is never created.
 */
function describeTables(
	input: unknown,
	stated: unknown,
):
	| { ok: true; tables: PackageTables; schemas: PackageSchemas }
	| { ok: false; problem: string } {
	const statedProblem = schemasProblem(stated, input);
	if (statedProblem !== null) return { ok: false, problem: statedProblem };
	const given = (stated ?? {}) as PackageSchemas;
	const problem = tablesProblem(input, given);
	if (problem !== null) return { ok: false, problem };
	const tables = input as PackageTables;
	const schemas: PackageSchemas = {};
	for (const [name, rows] of Object.entries(tables)) {
		let schema = given[name];
		if (schema === undefined) {
			const inferred = inferSchema(name, rows);
			if (!inferred.ok) return inferred;
			schema = inferred.schema;
		}
		for (const [index, row] of rows.entries()) {
			const rowFit = rowProblem(name, schema, row, index);
			if (rowFit !== null) return { ok: false, problem: rowFit };
		}
		schemas[name] = schema;
	}
	return { ok: true, tables, schemas };
}

async function lastSequence(folder: string): Promise<number> {
	const index = (await readJsonIfPresent(join(folder, sequenceIndexName))) as {
		lastSequence?: unknown;
	} | null;
	let last = typeof index?.lastSequence === "number" ? index.lastSequence : 0;
	for (const where of [folder, join(folder, "quarantine")]) {
		for (const name of await listCompleteFiles(where)) {
			const sequence = sequenceOfFileName(
				name.replace(/^[^.]+\.(?=\d{10}\.)/, ""),
			);
			if (sequence !== null) last = Math.max(last, sequence);
		}
	}
	return last;
}
