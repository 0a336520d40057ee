import { join } from "node:path";
import {
	packageFileName,
	sequenceOfFileName,
} from "../domain/package-format.js";
import { isTemporaryName } from "./files.js";
import { quarantinedReason } from "./quarantine.js";
import { listFolder } from "./shared-files.js";

/** A download session is one package of one data group in one full-sync generation. */
export function downloadSessionId(
	dataGroup: string,
	sequence: number,
	generation: number,
): string {
	return `download:${dataGroup}:${sequence}:${generation}`;
}

/** Why the next package of a data group cannot be applied yet (shared with the state file as `waitingFor`). */
export type Waiting = {
	sequence: number;
	reason: string;
	/**
	 * Something a person must look at (a gap, a quarantined or failed
	 * package), not just a package still being written: the run then says Failed.
	 */
	problem: boolean;
};

/** A data group's download folder as one listing: complete packages, ones still arriving, links. */
export type GroupFolder = {
	folder: string;
	/** Sequence → file name of each complete package (a plain file). */
	packages: Map<number, string>;
	/** Sequences with a temporary file (still being written). */
	arriving: Set<number>;
	/** Sequence → name of a package name that is a symbolic link (or not a plain file). */
	refused: Map<number, string>;
	highest: number;
};

/** The sequence a temporary file will have once complete: `.0000000002.package.json.123.ab.tmp`, `0000000002.package.json.tmp`. */
function arrivingSequence(name: string): number | null {
	const match = /^\.?(\d{10})\.package\.json(?:\..*)?$/.exec(name);
	return match?.[1] === undefined ? null : Number(match[1]);
}

export async function listGroupFolder(folder: string): Promise<GroupFolder> {
	const listed: GroupFolder = {
		folder,
		packages: new Map(),
		arriving: new Set(),
		refused: new Map(),
		highest: 0,
	};
	for (const entry of await listFolder(folder)) {
		if (isTemporaryName(entry.name)) {
			const sequence = arrivingSequence(entry.name);
			if (sequence !== null) listed.arriving.add(sequence);
			continue;
		}
		const sequence = sequenceOfFileName(entry.name);
		if (sequence === null) continue;
		if (entry.kind === "file") listed.packages.set(sequence, entry.name);
		else listed.refused.set(sequence, entry.name);
		listed.highest = Math.max(listed.highest, sequence);
	}
	return listed;
}

/**
 * Why package `sequence`, not in the folder as a plain file, holds the ones
 * after it; null when there is simply nothing new.
 */
export async function absentPackage(
	listed: GroupFolder,
	sequence: number,
): Promise<Waiting | null> {
	const name = packageFileName(sequence);
	const refused = listed.refused.get(sequence);
	if (refused !== undefined)
		return {
			sequence,
			reason: `package ${sequence} refused: ${join(listed.folder, refused)} is a symbolic link or not a plain file`,
			problem: true,
		};
	if (listed.arriving.has(sequence))
		return {
			sequence,
			reason: `package ${sequence} still arriving (a temporary file is being written)`,
			problem: false,
		};
	const quarantined = await quarantinedReason(listed.folder, name);
	if (quarantined !== null)
		return {
			sequence,
			reason: `package ${sequence} quarantined: ${quarantined}`,
			problem: true,
		};
	if (listed.highest > sequence)
		return {
			sequence,
			reason: `package ${sequence} not in the folder yet (package ${listed.highest} is)`,
			problem: true,
		};
	return null;
}
