import { scrypt } from "node:crypto";
import type { ChannelDatabase } from "../domain/configuration.js";
import { decryptSecret } from "../store/secrets.js";

/*
 * scrypt, not a plain hash: a package is public to whoever can read the
 * working folder, and its signature must not make guessing the channel
 * database's password cheap. About 50 ms per key; keys are remembered.
 */
const cost = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLength = 32;

/** The key a channel database's packages are signed with, from its user name and password. */
export function deriveSigningKey(
	userName: string,
	password: string,
): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		scrypt(
			password,
			`cdx-package-signing/1\u0000${userName}`,
			keyLength,
			cost,
			(error, key) => (error ? reject(error) : resolve(key)),
		);
	});
}

const remembered = new Map<string, Promise<Buffer>>();

/**
 * The signing key of a channel database as configured now: its password is
 * decrypted with the key file beside db.json. A new password (another
 * passwordSecret) gives a new key.
 */
export function signingKeyFor(
	databasePath: string,
	database: Pick<ChannelDatabase, "name" | "userName" | "passwordSecret">,
): Promise<Buffer> {
	const id = `${databasePath}\u0000${database.userName}\u0000${database.passwordSecret}`;
	let key = remembered.get(id);
	if (key === undefined) {
		key = decryptSecret(databasePath, database.passwordSecret).then(
			(password) => deriveSigningKey(database.userName, password),
			(error: unknown) => {
				throw new Error(
					`Channel database "${database.name}": its password cannot be decrypted (${(error as Error).message}); enter the password again on the Channel database form`,
				);
			},
		);
		remembered.set(id, key);
		key.catch(() => remembered.delete(id));
	}
	return key;
}
