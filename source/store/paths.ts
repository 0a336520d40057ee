import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

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

/** The Async Client's state files live beside the database they belong to. */
export function stateDirectory(databasePath: string): string {
	return join(dirname(databasePath), "state");
}
