import { randomBytes } from "node:crypto";
import {
	link,
	readFile,
	stat,
	unlink,
	utimes,
	writeFile,
} from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { isMissing } from "./files.js";

export type LockOwner = { pid: number; host: string; startedAt: string };

/*
 * The holder touches the lock with every heartbeat (~2 s). One untouched for
 * this long belongs to a client that is gone, even if its pid was reused
 * (after a reboot, say).
 */
const untouchedForMs = 30_000;

export type LockOutcome =
	| { ok: true; lock: ClientLock }
	| { ok: false; owner: LockOwner | null };

/**
 * One client per channel database. The lock is a file holding the owner's
 * pid and host, created complete in one step (written under a temporary
 * name, then hard-linked to the lock's name, which fails if it exists). A
 * lock whose process is gone (same host, no such pid) or that nobody touched
 * for 30 s is stale and is taken over. A kill -9 therefore never blocks the
 * next start.
 */
export async function acquireClientLock(
	file: string,
	owner: LockOwner,
): Promise<LockOutcome> {
	const temporary = join(
		dirname(file),
		`.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
	);
	await writeFile(temporary, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
	try {
		for (let attempt = 0; attempt < 3; attempt += 1) {
			try {
				await link(temporary, file);
				return { ok: true, lock: new ClientLock(file, owner) };
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
			}
			const holder = await readOwner(file);
			if (holder.owner !== null && !(await isStale(file, holder.owner)))
				return { ok: false, owner: holder.owner };
			// Remove it only if it is still the stale one we read.
			const again = await readOwner(file);
			if (again.text === holder.text) await unlink(file).catch(() => {});
		}
		return { ok: false, owner: (await readOwner(file)).owner };
	} finally {
		await unlink(temporary).catch(() => {});
	}
}

export class ClientLock {
	constructor(
		readonly file: string,
		readonly owner: LockOwner,
	) {}

	/** Shows the lock is alive; called with every heartbeat. */
	async touch(): Promise<void> {
		const now = new Date();
		await utimes(this.file, now, now).catch(() => {});
	}

	/** Removes the lock if it is still ours. */
	async release(): Promise<void> {
		const { owner } = await readOwner(this.file);
		if (
			owner?.pid === this.owner.pid &&
			owner.startedAt === this.owner.startedAt
		)
			await unlink(this.file).catch(() => {});
	}
}

async function readOwner(
	file: string,
): Promise<{ text: string | null; owner: LockOwner | null }> {
	let text: string;
	try {
		text = await readFile(file, "utf8");
	} catch (error) {
		if (isMissing(error)) return { text: null, owner: null };
		throw error;
	}
	try {
		const owner = JSON.parse(text) as LockOwner;
		return Number.isSafeInteger(owner.pid) && typeof owner.host === "string"
			? { text, owner }
			: { text, owner: null };
	} catch {
		return { text, owner: null };
	}
}

async function isStale(file: string, owner: LockOwner): Promise<boolean> {
	if (owner.host === hostname() && !processExists(owner.pid)) return true;
	try {
		const { mtimeMs } = await stat(file);
		return Date.now() - mtimeMs > untouchedForMs;
	} catch {
		return true;
	}
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
