/**
 * A database file that cannot be used as it is: unreadable, not JSON, the
 * wrong shape or from a newer version. The message is one line that names
 * the file; the file is never written after one of these.
 */
export class DatabaseFileError extends Error {
	override name = "DatabaseFileError";
}

/** Why a write failed, in words, e.g. "no space left on the device (ENOSPC)". */
export function describeFileSystemError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case "ENOSPC":
			return "no space left on the device (ENOSPC)";
		case "EROFS":
			return "the file system is read-only (EROFS)";
		case "EACCES":
		case "EPERM":
			return `permission denied (${code})`;
		case "EDQUOT":
			return "disk quota exceeded (EDQUOT)";
		case "ELOOP":
			return "a loop of symbolic links, or too many of them (ELOOP)";
		case "ENOENT":
			return "the file or its folder does not exist (ENOENT)";
		case "ELOCKED":
			return "another process kept the database locked for over 20 seconds (ELOCKED)";
		default:
			return error instanceof Error ? error.message : String(error);
	}
}
