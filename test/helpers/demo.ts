import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ExecutionContext } from "ava";
import { addProfileArgs, runCdx } from "./cdx.js";
import { assertSucceeded } from "./cli-assertions.js";
import { makeTempDatabasePath } from "./database.js";

/** `cdx demo --db DB EXTRA…`. */
export function demo(db: string, ...extra: string[]) {
	return runCdx(["demo", "--db", db, ...extra]);
}

/** The names `cdx COMMAND list --json` gives. */
export function names(db: string, command: string): string[] {
	const run = runCdx([command, "list", "--json", "--db", db]);
	if (run.status !== 0) throw new Error(run.stderr);
	return (JSON.parse(run.stdout) as { name: string }[]).map(
		(record) => record.name,
	);
}

/** An operator's own profile `name` saved in `db` through the CLI, beside (or before) the demo's. */
export function addOperatorProfile(
	t: ExecutionContext,
	db: string,
	name: string,
): void {
	assertSucceeded(t, runCdx(addProfileArgs(db, name)));
}

/** Every file and folder under `folder`, relative to it, sorted. */
export async function tree(folder: string): Promise<string[]> {
	if (!existsSync(folder)) return [];
	const entries = await readdir(folder, { recursive: true });
	return entries.sort();
}

/** A fresh database with the demo in its default folder, demo/ beside it. */
export async function newDemo(t: ExecutionContext) {
	const db = await makeTempDatabasePath();
	const run = demo(db);
	assertSucceeded(t, run);
	return { db, folder: join(dirname(db), "demo"), run };
}
