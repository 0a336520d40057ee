import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replaces `file` with `text` so that a crash, a kill or a full disk leaves
 * either the old or the new content, never a mix: write a temporary file
 * beside it, fsync it, rename it over the old one, then fsync the folder so
 * the rename itself survives a power cut. The file gets mode 0600 unless
 * `mode` says otherwise (data packages are shared with headquarters' group).
 */
export async function writeFileAtomically(
	file: string,
	text: string,
	mode = 0o600,
): Promise<void> {
	const folder = dirname(file);
	const temporary = join(
		folder,
		`.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
	);
	try {
		const handle = await open(temporary, "wx", mode);
		try {
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temporary, file);
	} catch (error) {
		await unlink(temporary).catch(() => {});
		throw error;
	}
	const folderHandle = await open(folder, "r");
	try {
		await folderHandle.sync();
	} finally {
		await folderHandle.close();
	}
}
