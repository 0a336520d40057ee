import { join } from "node:path";
import { isObject, parseJson } from "../domain/json-text.js";
import type { DownloadProgress } from "./channel-store.js";
import { sharedFileMode } from "./files.js";
import {
	ensureRealFolder,
	readPlainText,
	replaceOwnFile,
} from "./shared-files.js";

/**
 * What a client publishes in its upload folder (`<upload>/<ID>/progress.json`)
 * so headquarters knows which download packages every database of a group
 * has applied (cdx package prune): per data group, the last sequence
 * applied and when. Nothing else, and no secret.
 */
export type PublishedProgress = {
	formatVersion: 1;
	channelDatabase: string;
	updatedAt: string;
	groups: Record<string, { sequence: number; appliedAt: string | null }>;
};

export const progressFileName = "progress.json";

export async function publishProgress(
	uploadFolder: string,
	channelDatabase: string,
	progress: DownloadProgress,
	now: Date,
): Promise<void> {
	await ensureRealFolder(uploadFolder);
	const published: PublishedProgress = {
		formatVersion: 1,
		channelDatabase,
		updatedAt: now.toISOString(),
		groups: Object.fromEntries(
			Object.entries(progress.groups).map(
				([group, { sequence, appliedAt }]) => [group, { sequence, appliedAt }],
			),
		),
	};
	await replaceOwnFile(
		join(uploadFolder, progressFileName),
		`${JSON.stringify(published, null, "\t")}\n`,
		sharedFileMode,
	);
}

export type ReadProgress =
	| { ok: true; sequence: number; appliedAt: string | null }
	| { ok: false; problem: string };

/** The last sequence of `dataGroup` a database applied, from its progress.json. */
export async function readPublishedProgress(
	uploadFolder: string,
	dataGroup: string,
): Promise<ReadProgress> {
	const file = join(uploadFolder, progressFileName);
	let text: string | null;
	try {
		text = await readPlainText(file);
	} catch (error) {
		return { ok: false, problem: (error as Error).message };
	}
	if (text === null)
		return {
			ok: false,
			problem: `no ${progressFileName} yet (its client has not run)`,
		};
	const parsed = parseJson(text);
	const groups =
		parsed.ok && isObject(parsed.value) && isObject(parsed.value.groups)
			? parsed.value.groups
			: null;
	if (groups === null)
		return { ok: false, problem: `${file} cannot be read as progress` };
	const group = Object.hasOwn(groups, dataGroup)
		? groups[dataGroup]
		: undefined;
	if (group === undefined) return { ok: true, sequence: 0, appliedAt: null };
	if (!isObject(group) || !Number.isSafeInteger(group.sequence))
		return {
			ok: false,
			problem: `${file}: groups.${dataGroup}.sequence is not a whole number`,
		};
	return {
		ok: true,
		sequence: group.sequence as number,
		appliedAt: typeof group.appliedAt === "string" ? group.appliedAt : null,
	};
}
