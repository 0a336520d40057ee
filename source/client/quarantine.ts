import { basename, dirname, join } from "node:path";
import type { PackageProblem } from "../domain/package-check.js";
import { sharedFileMode } from "./files.js";
import {
	copyCreateOnly,
	createFile,
	ensureRealFolder,
	freeName,
	listFolder,
	moveCreateOnly,
	readPlainText,
} from "./shared-files.js";

const reasonSuffix = ".reason.txt";

/** The quarantine folder beside a data group's packages. */
export function quarantineFolder(groupFolder: string): string {
	return join(groupFolder, "quarantine");
}

/**
 * Sets a package that must not be applied aside in the `quarantine` folder
 * beside it, with a `.reason.txt` that says why. A problem with the package
 * itself moves it (no database of the group may apply it); a problem for
 * this database only (its signature) copies it under the database's name,
 * leaving the original for the others. Returns where it went. Nothing is
 * replaced and no link is followed: a linked quarantine/ is refused.
 */
export async function quarantinePackage(
	file: string,
	problem: PackageProblem,
	channelDatabase: string,
	now: Date,
): Promise<string> {
	const folder = quarantineFolder(dirname(file));
	await ensureRealFolder(folder);
	const name =
		problem.scope === "package"
			? basename(file)
			: `${channelDatabase}.${basename(file)}`;
	const target = await freeName(folder, name, reasonSuffix);
	if (problem.scope === "package") await moveCreateOnly(file, target);
	else await copyCreateOnly(file, target, sharedFileMode);
	await createFile(
		`${target}${reasonSuffix}`,
		`${now.toISOString()} channel database ${channelDatabase}: ${problem.reason}\n`,
		sharedFileMode,
	);
	return target;
}

/**
 * Why the package named `name` was moved to quarantine (the newest copy's
 * reason file), or null when it was not: a package another database of the
 * group set aside is missing from the folder for this one too.
 */
export async function quarantinedReason(
	groupFolder: string,
	name: string,
): Promise<string | null> {
	const folder = quarantineFolder(groupFolder);
	let newest: { file: string; copy: number } | undefined;
	for (const entry of await listFolder(folder)) {
		const copy = copyNumber(entry.name, name);
		if (entry.kind === "file" && copy !== null && copy > (newest?.copy ?? 0))
			newest = { file: entry.name, copy };
	}
	if (newest === undefined) return null;
	const text = await readPlainText(join(folder, newest.file)).catch(() => null);
	if (text === null)
		return "set aside in quarantine/ (its reason file cannot be read)";
	// "<time> channel database <ID>: <reason>"
	const reason = text.trim().split("\n")[0] ?? "";
	const colon = reason.indexOf(": ");
	return colon >= 0 ? reason.slice(colon + 2) : reason;
}

/** 1 for `<name>.reason.txt`, 2 for `<name>.2.reason.txt`, …; null for any other file. */
function copyNumber(reasonFile: string, name: string): number | null {
	if (!reasonFile.startsWith(name) || !reasonFile.endsWith(reasonSuffix))
		return null;
	const middle = reasonFile.slice(name.length, -reasonSuffix.length);
	if (middle === "") return 1;
	return /^\.\d+$/.test(middle) ? Number(middle.slice(1)) : null;
}
