import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { describeFileSystemError } from "./errors.js";

/** What a working folder is like on this machine, for the user who runs cdx. */
export type FolderState =
	| { state: "ready" }
	| { state: "created" }
	| { state: "missing" }
	/** `reason` reads after the path: "cannot be created: permission denied (EACCES)". */
	| { state: "unusable"; reason: string };

async function kindOf(path: string): Promise<"folder" | "other" | "missing"> {
	try {
		return (await stat(path)).isDirectory() ? "folder" : "other";
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
		throw error;
	}
}

/**
 * Creates `path` and the folders above it that are missing, each with mode
 * 0700. One level at a time on purpose: Node's recursive mkdir loops forever
 * where mkdir answers ENOENT for a parent that exists (/proc).
 */
async function createFolders(path: string): Promise<void> {
	const missing: string[] = [];
	let folder = path;
	while ((await kindOf(folder)) === "missing") {
		missing.unshift(folder);
		const parent = dirname(folder);
		if (parent === folder) break;
		folder = parent;
	}
	for (const each of missing) {
		try {
			await mkdir(each, { mode: 0o700 });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
		}
	}
}

/**
 * Checks that a working folder exists and that this user can list, read and
 * write it, as Async Client and headquarters' services must. With `create`,
 * a missing folder is created first (mode 0700).
 */
export async function checkWorkingFolder(
	path: string,
	options: { create: boolean },
): Promise<FolderState> {
	let created = false;
	try {
		const found = await kindOf(path);
		if (found === "other")
			return { state: "unusable", reason: "is not a folder" };
		if (found === "missing") {
			if (!options.create) return { state: "missing" };
			try {
				await createFolders(path);
			} catch (error) {
				return {
					state: "unusable",
					reason: `cannot be created: ${describeFileSystemError(error)}`,
				};
			}
			created = true;
		}
	} catch (error) {
		return {
			state: "unusable",
			reason: `cannot be checked: ${describeFileSystemError(error)}`,
		};
	}
	try {
		await access(path, constants.R_OK | constants.W_OK | constants.X_OK);
	} catch (error) {
		return {
			state: "unusable",
			reason: `is not readable and writable by this user: ${describeFileSystemError(error)}`,
		};
	}
	return { state: created ? "created" : "ready" };
}
