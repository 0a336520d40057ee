import { randomBytes } from "node:crypto";
import {
	link,
	lstat,
	open,
	readFile,
	rename,
	stat,
	unlink,
	utimes,
	writeFile,
} from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { isMissing } from "./files.js";

export type LockOwner = {
	pid: number;
	host: string;
	startedAt: string;
	/** When the kernel started the owner's process (Linux): tells a reused pid from the owner. */
	processStart?: string;
};

/*
 * A lock of another host cannot be checked by pid (db.json on a shared
 * disk). Its holder touches it with every heartbeat (~2 s); one untouched
 * for this long belongs to a client that is gone. A lock of this host is
 * never judged by time: a live process (stopped with SIGSTOP, a paused VM)
 * keeps it however long it is silent.
 */
const otherHostUntouchedForMs = 30_000;

/** How many stale claims stacked on each other (a taker killed while taking over) are worked through. */
const maxClaimDepth = 4;

export type LockOutcome =
	| { ok: true; lock: ClientLock }
	| { ok: false; owner: LockOwner | null };

/** The start time of a process of this host, from /proc (null where there is none). */
async function processStartOf(pid: number): Promise<string | null> {
	try {
		const text = await readFile(`/proc/${pid}/stat`, "utf8");
		// Field 22, counted after the command name in parentheses (which may hold spaces).
		const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
		return fields[19] ?? null;
	} catch {
		return null;
	}
}

/** The owner of this process, as written in the lock it takes. */
export async function lockOwner(startedAt: string): Promise<LockOwner> {
	const processStart = await processStartOf(process.pid);
	return {
		pid: process.pid,
		host: hostname(),
		startedAt,
		...(processStart === null ? {} : { processStart }),
	};
}

/**
 * One client per channel database. The lock is a file holding the owner's
 * pid, host and process start, created complete in one step (written under
 * a temporary name, then hard-linked to the lock's name, which fails if it
 * exists). A lock whose process is gone is taken over atomically: the
 * taker first wins a claim named after the dead lock's inode (itself a
 * lock, taken the same way), checks the lock is still that inode, and
 * renames its own file over it. Two starters can never both win: only one
 * gets the claim, and the other then finds a live owner.
 */
export async function acquireClientLock(
	file: string,
	owner: LockOwner,
): Promise<LockOutcome> {
	const claims: string[] = [];
	try {
		const taken = await acquire(file, owner, 0, claims);
		return taken.ok
			? { ok: true, lock: new ClientLock(file, owner) }
			: { ok: false, owner: taken.owner };
	} finally {
		for (const claim of claims) await unlink(claim).catch(() => {});
	}
}

type Holder = { owner: LockOwner | null; inode: number };

async function acquire(
	file: string,
	owner: LockOwner,
	depth: number,
	claims: string[],
): Promise<{ ok: true } | { ok: false; owner: LockOwner | null }> {
	for (let attempt = 0; attempt < 5; attempt += 1) {
		if (await linkOwnerFile(file, owner)) return { ok: true };
		const holder = await readHolder(file);
		// Released between our link and our look: try again.
		if (holder === null) continue;
		if (holder.owner !== null && (await isAlive(file, holder.owner)))
			return { ok: false, owner: holder.owner };
		if (depth >= maxClaimDepth) return { ok: false, owner: holder.owner };
		const claim = `${file}.takeover.${holder.inode}`;
		const claimed = await acquire(claim, owner, depth + 1, claims);
		if (!claimed.ok) return { ok: false, owner: holder.owner };
		claims.push(claim);
		const now = await lstat(file).catch(() => null);
		// Only the holder of this claim may replace this inode; anything else means someone got there first.
		if (now?.ino === holder.inode) {
			await renameOwnerFile(file, owner);
			return { ok: true };
		}
	}
	return { ok: false, owner: (await readHolder(file))?.owner ?? null };
}

/** A new temporary file beside `file` holding `owner`; gives its name. */
async function ownerFileBeside(
	file: string,
	owner: LockOwner,
): Promise<string> {
	const temporary = join(
		dirname(file),
		`.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
	);
	await writeFile(temporary, `${JSON.stringify(owner)}\n`, {
		mode: 0o600,
		flag: "wx",
	});
	return temporary;
}

/** Creates `file` holding `owner`, only if nothing has that name. */
async function linkOwnerFile(file: string, owner: LockOwner): Promise<boolean> {
	const temporary = await ownerFileBeside(file, owner);
	try {
		await link(temporary, file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
		throw error;
	} finally {
		await unlink(temporary).catch(() => {});
	}
}

/** Replaces `file` with one holding `owner` in one step. */
async function renameOwnerFile(file: string, owner: LockOwner): Promise<void> {
	const temporary = await ownerFileBeside(file, owner);
	try {
		await rename(temporary, file);
	} catch (error) {
		await unlink(temporary).catch(() => {});
		throw error;
	}
}

export class ClientLock {
	constructor(
		readonly file: string,
		readonly owner: LockOwner,
	) {}

	/** Shows the lock is alive to clients of other hosts; called with every heartbeat. */
	async touch(): Promise<void> {
		const now = new Date();
		await utimes(this.file, now, now).catch(() => {});
	}

	/** Removes the lock if it is still ours. */
	async release(): Promise<void> {
		const holder = await readHolder(this.file);
		if (
			holder?.owner?.pid === this.owner.pid &&
			holder.owner.startedAt === this.owner.startedAt
		)
			await unlink(this.file).catch(() => {});
	}
}

/** The lock's owner and inode, read from one open file so both belong to the same lock. */
async function readHolder(file: string): Promise<Holder | null> {
	let text: string;
	let inode: number;
	try {
		const handle = await open(file, "r");
		try {
			inode = (await handle.stat()).ino;
			text = await handle.readFile("utf8");
		} finally {
			await handle.close();
		}
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
	try {
		const owner = JSON.parse(text) as LockOwner;
		return Number.isSafeInteger(owner.pid) && typeof owner.host === "string"
			? { owner, inode }
			: { owner: null, inode };
	} catch {
		return { owner: null, inode };
	}
}

async function isAlive(file: string, owner: LockOwner): Promise<boolean> {
	if (owner.host !== hostname()) {
		try {
			const { mtimeMs } = await stat(file);
			return Date.now() - mtimeMs <= otherHostUntouchedForMs;
		} catch {
			return false;
		}
	}
	if (!processExists(owner.pid)) return false;
	if (owner.processStart === undefined) return true;
	const start = await processStartOf(owner.pid);
	// A pid reused by another process (after a reboot, say) is not the owner.
	return start === null || start === owner.processStart;
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}
