import { join } from "node:path";
import {
	packageFileName,
	sequenceOfFileName,
} from "../domain/package-format.js";
import type {
	PendingUpload,
	UploadJournal,
} from "./channel-data/upload-rows.js";
import { sharedFileMode } from "./files.js";
import {
	ensureRealFolder,
	listFolder,
	publishCreateOnly,
	readPlainFile,
} from "./shared-files.js";

/** The highest sequence any name in the folder claims (a link or a stranger's file included). */
async function highestSequenceIn(folder: string): Promise<number> {
	let highest = 0;
	for (const entry of await listFolder(folder)) {
		const sequence = sequenceOfFileName(entry.name);
		if (sequence !== null) highest = Math.max(highest, sequence);
	}
	return highest;
}

/**
 * The sequence a fixed batch is published under. An upload package is never
 * replaced: when its name is already taken in the upload folder by other
 * bytes (a store restored from a backup, a file someone put there), that
 * file is left as it is, the batch moves after the highest package in the
 * folder, and the journal says so before anything is written. Returns the
 * batch as it will go out, and what was found in the way.
 */
export async function settleUploadSequence(
	folder: string,
	fixed: PendingUpload,
	journal: UploadJournal,
	writeJournal: (journal: UploadJournal) => Promise<void>,
	bytesFor: (pending: PendingUpload) => Uint8Array,
): Promise<{ pending: PendingUpload; notes: string[] }> {
	await ensureRealFolder(folder);
	let pending = fixed;
	const notes: string[] = [];
	for (;;) {
		const file = join(folder, packageFileName(pending.sequence));
		let existing: Buffer | null;
		try {
			existing = await readPlainFile(file);
		} catch (error) {
			existing = Buffer.from((error as Error).message);
		}
		if (existing === null || Buffer.compare(existing, bytesFor(pending)) === 0)
			break;
		const next =
			Math.max(pending.sequence, await highestSequenceIn(folder)) + 1;
		notes.push(
			`${file} is already there with other content (not touched); the package goes out as ${packageFileName(next)}`,
		);
		pending = { ...pending, sequence: next };
	}
	if (pending !== fixed) await writeJournal({ ...journal, pending });
	return { pending, notes };
}

/** Publishes the package create-only; someone else's file that appeared meanwhile is an error, never overwritten. */
export async function publishUploadPackage(
	file: string,
	bytes: Uint8Array,
): Promise<void> {
	const published = await publishCreateOnly(file, bytes, sharedFileMode);
	if (published.outcome === "taken")
		throw new Error(`${published.problem}; tried again next run`);
}
