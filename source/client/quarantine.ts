import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { PackageProblem } from "../domain/package-check.js";
import { fileExists, moveDurably, syncFolder } from "./files.js";

/** `name`, or `name.2`, `name.3`, … : the first that is free in `folder`. */
async function freeName(folder: string, name: string): Promise<string> {
	let candidate = join(folder, name);
	for (let copy = 2; await fileExists(candidate); copy += 1)
		candidate = join(folder, `${name}.${copy}`);
	return candidate;
}

/**
 * Sets a package that must not be applied aside in the `quarantine` folder
 * beside it, with a `.reason.txt` that says why. A problem with the package
 * itself moves it (no database of the group may apply it); a problem for
 * this database only (its signature) copies it under the database's name,
 * leaving the original for the others. Returns where it went.
 */
export async function quarantinePackage(
	file: string,
	problem: PackageProblem,
	channelDatabase: string,
	now: Date,
): Promise<string> {
	const folder = join(dirname(file), "quarantine");
	await mkdir(folder, { recursive: true, mode: 0o750 });
	let target: string;
	if (problem.scope === "package") {
		target = await freeName(folder, basename(file));
		await moveDurably(file, target);
	} else {
		target = await freeName(folder, `${channelDatabase}.${basename(file)}`);
		await copyFile(file, target);
	}
	await writeFile(
		`${target}.reason.txt`,
		`${now.toISOString()} channel database ${channelDatabase}: ${problem.reason}\n`,
		{ mode: 0o640 },
	);
	await syncFolder(folder);
	return target;
}
