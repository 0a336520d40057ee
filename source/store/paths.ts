import { readlink, realpath } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/** --db, else $CDX_DB, else the XDG data directory (DESIGN.md, interface contract). */
export function resolveDatabasePath(
	flag: string | undefined,
	environment: NodeJS.ProcessEnv = process.env,
): string {
	if (flag) return resolve(flag);
	if (environment.CDX_DB) return resolve(environment.CDX_DB);
	// $HOME from the environment given, as os.homedir() reads it from the process's.
	const home = environment.HOME || homedir();
	const dataHome = environment.XDG_DATA_HOME || join(home, ".local", "share");
	return join(resolve(dataHome), "cdx-scheduler", "db.json");
}

/** More links than this in a row is a loop, as the kernel's own limit (ELOOP) says. */
const maxLinks = 40;

/**
 * Where db.json really is: every symlink on the way resolved, even one that
 * points at a file not created yet, and even when folders on the way do not
 * exist yet. Resolved once when the database is opened; secret.key, state/
 * and the channel data folders are found beside this path, so one database
 * reached by two paths has one key, one state folder and one client.
 */
export async function realDatabasePath(path: string): Promise<string> {
	let current = resolve(path);
	for (let links = 0; links <= maxLinks; links += 1) {
		try {
			return await realpath(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		}
		// Not there (yet): a dangling link names where it will be made; else the folder decides.
		const target = await readlink(current).catch(() => null);
		if (target !== null) {
			current = resolve(dirname(current), target);
			continue;
		}
		const folder = dirname(current);
		if (folder === current) return current;
		return join(await realDatabasePath(folder), basename(current));
	}
	throw Object.assign(
		new Error(`${path}: too many levels of symbolic links (ELOOP)`),
		{ code: "ELOOP" },
	);
}

/** resolveDatabasePath, then its real path (realDatabasePath): what every command works on. */
export function resolveRealDatabasePath(
	flag: string | undefined,
	environment: NodeJS.ProcessEnv = process.env,
): Promise<string> {
	return realDatabasePath(resolveDatabasePath(flag, environment));
}

/** The Async Client's state files live beside the database they belong to. */
export function stateDirectory(databasePath: string): string {
	return join(dirname(databasePath), "state");
}
