import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

const algorithm = "aes-256-gcm";
const prefix = "aes-256-gcm:";

/**
 * Channel database passwords are stored encrypted with a key kept in
 * `secret.key` beside db.json (mode 0600). db.json alone, in a backup or a
 * diff, does not reveal them; anyone who can read both files can.
 */
export function secretKeyPath(databasePath: string): string {
	return join(dirname(databasePath), "secret.key");
}

async function readKey(databasePath: string, create: boolean): Promise<Buffer> {
	const path = secretKeyPath(databasePath);
	try {
		const key = await readFile(path);
		if (key.length !== 32)
			throw new Error(`${path}: not a cdx-scheduler key (expected 32 bytes)`);
		return key;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !create)
			throw error;
		try {
			await writeFile(path, randomBytes(32), { mode: 0o600, flag: "wx" });
		} catch (writeError) {
			// Another process created it first: use theirs.
			if ((writeError as NodeJS.ErrnoException).code !== "EEXIST")
				throw writeError;
		}
		return readKey(databasePath, false);
	}
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
