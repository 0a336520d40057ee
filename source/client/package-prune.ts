import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { Configuration } from "../domain/configuration.js";
import { sequenceOfFileName } from "../domain/package-format.js";
import { countOf } from "../domain/text.js";
import { downloadGroupFolder, uploadDatabaseFolder } from "./client-paths.js";
import { findDataGroup } from "./download-packages.js";
import { readPublishedProgress } from "./progress-file.js";
import { listFolder, removePlainFile } from "./shared-files.js";

const dayMs = 24 * 60 * 60 * 1000;

/** A channel database of the group and how far it got (from its progress.json). */
export type HoldingBack = {
	channelDatabase: string;
	applied: number;
	problem: string | null;
};

export type PruneOutcome = {
	folder: string;
	days: number;
	/** Old enough and applied everywhere: deleted (or, in a dry run, would be). */
	pruned: string[];
	/** Old enough but not yet applied by every database of the group. */
	heldBack: string[];
	/** The databases that have not applied every held-back package. */
	holders: HoldingBack[];
	/** Younger than the days to keep. */
	recent: number;
	/** Names that are not plain files (links) and were left alone. */
	refused: string[];
};

/**
 * Headquarters' retention of a data group's download packages: only a
 * package older than "days to keep data packages" that every channel
 * database of the group has applied is deleted. How far each got is read
 * from the progress.json its client publishes in its upload folder; one
 * that has none (never ran) holds every package back.
 */
export async function prunePackages(settings: {
	configuration: Configuration;
	dataGroup: string;
	now: Date;
	dryRun: boolean;
}): Promise<
	{ ok: true; outcome: PruneOutcome } | { ok: false; problem: string }
> {
	const found = findDataGroup(settings.configuration, settings.dataGroup);
	if (!found.ok) return found;
	const { group, folders, members } = found;
	const holders: HoldingBack[] = [];
	for (const member of members) {
		const read = await readPublishedProgress(
			uploadDatabaseFolder(folders.uploadPath, member.name),
			group.name,
		);
		holders.push(
			read.ok
				? {
						channelDatabase: member.name,
						applied: read.sequence,
						problem: null,
					}
				: { channelDatabase: member.name, applied: 0, problem: read.problem },
		);
	}
	// With no database in the group, nothing is known to be applied anywhere.
	const appliedEverywhere =
		holders.length === 0
			? 0
			: Math.min(...holders.map((holder) => holder.applied));
	const days = settings.configuration.parameters.keepPackagesDays;
	const before = settings.now.getTime() - days * dayMs;
	const folder = downloadGroupFolder(folders.downloadPath, group.name);
	const outcome: PruneOutcome = {
		folder,
		days,
		pruned: [],
		heldBack: [],
		holders: [],
		recent: 0,
		refused: [],
	};
	let newestHeld = 0;
	for (const entry of await listFolder(folder)) {
		const sequence = sequenceOfFileName(entry.name);
		if (sequence === null) continue;
		if (entry.kind !== "file") {
			outcome.refused.push(entry.name);
			continue;
		}
		const file = join(folder, entry.name);
		const { mtimeMs } = await lstat(file);
		if (mtimeMs >= before) {
			outcome.recent += 1;
			continue;
		}
		if (sequence > appliedEverywhere) {
			outcome.heldBack.push(entry.name);
			newestHeld = Math.max(newestHeld, sequence);
			continue;
		}
		if (!settings.dryRun) await removePlainFile(file);
		outcome.pruned.push(entry.name);
	}
	outcome.holders = holders.filter((holder) => holder.applied < newestHeld);
	return { ok: true, outcome };
}

/** What `cdx package prune` prints. */
export function pruneReport(outcome: PruneOutcome, dryRun: boolean): string[] {
	const lines = [
		`${dryRun ? "Would delete" : "Deleted"} ${countOf(outcome.pruned.length, "package")} older than ${countOf(outcome.days, "day")} from ${outcome.folder}${outcome.pruned.length > 0 ? `: ${outcome.pruned.join(", ")}` : ""}`,
	];
	if (outcome.heldBack.length > 0) {
		const who = outcome.holders
			.map((holder) =>
				holder.problem === null
					? `${holder.channelDatabase} (applied up to ${holder.applied})`
					: `${holder.channelDatabase} (${holder.problem})`,
			)
			.join(", ");
		lines.push(
			`Kept ${countOf(outcome.heldBack.length, "older package")} not yet applied by every channel database of the group: ${outcome.heldBack.join(", ")}; held back by ${who}`,
		);
	}
	if (outcome.recent > 0)
		lines.push(
			`Kept ${countOf(outcome.recent, "package")} younger than ${countOf(outcome.days, "day")}`,
		);
	if (outcome.refused.length > 0)
		lines.push(
			`Left alone ${countOf(outcome.refused.length, "name")} that are not plain files (symbolic links?): ${outcome.refused.join(", ")}`,
		);
	return lines;
}
