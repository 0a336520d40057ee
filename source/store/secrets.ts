import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { link, open, readFile, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { countOf } from "../domain/text.js";
import {
	keepOwnership,
	removeLeftoverTemporaryFiles,
	temporaryName,
} from "./atomic-write.js";

const algorithm = "aes-256-gcm";
const prefix = "aes-256-gcm:";
const keyBytes = 32;

/**
 * Channel database passwords are stored encrypted with a key kept in
 * `secret.key` beside db.json (mode 0600). db.json alone, in a backup or a
 * diff, does not reveal them; anyone who can read both files can.
 * `databasePath` is db.json's real path (realDatabasePath), so every path
 * to one database finds one key.
 */
export function secretKeyPath(databasePath: string): string {
	return join(dirname(databasePath), "secret.key");
}

/** A key of the wrong length, said with what to do about it. */
function wrongLength(path: string, length: number): Error {
	return new Error(
		length === 0
			? `${path} is empty: a save was interrupted while creating it, so no password was encrypted with it; remove it (rm ${path}) and save the password again`
			: `${path}: not a cdx-scheduler key (${countOf(length, "byte")}, expected ${keyBytes}); restore it from a backup, or remove it and type every channel database password again`,
	);
}

/**
 * Creates the key complete or not at all: written and fsynced under a
 * temporary name, then linked to its name, which fails if another process
 * made it first (its key is then the one). The folder is fsynced so the
 * name survives a power cut.
 */
async function createKey(path: string): Promise<void> {
	const folder = dirname(path);
	// A creation killed before its link left its temporary file.
	await removeLeftoverTemporaryFiles(folder, basename(path));
	const temporary = join(folder, temporaryName(path));
	try {
		const handle = await open(temporary, "wx", 0o600);
		try {
			await keepOwnership(handle, path);
			await handle.writeFile(randomBytes(keyBytes));
			await handle.sync();
		} finally {
			await handle.close();
		}
		await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== "EEXIST") throw error;
		});
	} finally {
		await unlink(temporary).catch(() => {});
	}
	const folderHandle = await open(folder, "r");
	try {
		await folderHandle.sync();
	} finally {
		await folderHandle.close();
	}
}

async function readKey(databasePath: string, create: boolean): Promise<Buffer> {
	const path = secretKeyPath(databasePath);
	let key: Buffer;
	try {
		key = await readFile(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !create)
			throw error;
		await createKey(path);
		return readKey(databasePath, false);
	}
	if (key.length !== keyBytes) throw wrongLength(path, key.length);
	return key;
}

export async function encryptSecret(
	databasePath: string,
	plain: string,
): Promise<string> {
	const key = await readKey(databasePath, true);
	const iv = randomBytes(12);
	const cipher = createCipheriv(algorithm, key, iv);
	const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
	return (
		prefix + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")
	);
}

export async function decryptSecret(
	databasePath: string,
	stored: string,
): Promise<string> {
	if (!stored.startsWith(prefix))
		throw new Error(
			"the stored password is not in a form this version understands",
		);
	const key = await readKey(databasePath, false);
	const packed = Buffer.from(stored.slice(prefix.length), "base64");
	const decipher = createDecipheriv(algorithm, key, packed.subarray(0, 12));
	decipher.setAuthTag(packed.subarray(12, 28));
	return Buffer.concat([
		decipher.update(packed.subarray(28)),
		decipher.final(),
	]).toString("utf8");
}
