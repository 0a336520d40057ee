import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmdirSync } from "node:fs";
import { mkdir, mkdtemp, open, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test, { type Implementation } from "ava";
import { makeTempFolder } from "./database.js";

/** A tmpfs of its own, for a full disk, a read-only file system or fast fsyncs. */
export type TmpfsMount = {
	path: string;
	/** Makes it read-only (true) or writable again (false), files and all. */
	setReadOnly(readOnly: boolean): void;
	/** Unmounts it and removes the mount point; safe to call twice. */
	unmount(): Promise<void>;
};

function run(command: string, args: string[]): void {
	execFileSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
}

let unavailable: string | null | undefined;

/**
 * Why this process cannot mount a tmpfs (not root, or a container without
 * CAP_SYS_ADMIN), or null when it can: tried once, for real. Synchronous,
 * so a test file can choose how to declare its tests (testNeeding).
 */
export function tmpfsUnavailable(): string | null {
	if (unavailable !== undefined) return unavailable;
	const probe = mkdtempSync(join(tmpdir(), "cdx-tmpfs-probe-"));
	try {
		run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]);
		run("umount", [probe]);
		unavailable = null;
	} catch (error) {
		const stderr = (error as { stderr?: Buffer }).stderr
			?.toString()
			.trim()
			.split("\n")[0];
		unavailable = `cannot mount a tmpfs here (${stderr || (error as Error).message}); run the tests as root with CAP_SYS_ADMIN`;
	} finally {
		rmdirSync(probe);
	}
	return unavailable;
}

/**
 * Mounts a tmpfs of `sizeBytes` (mode 0700) on `at`, created if missing, or
 * on a fresh folder. Unmount it in a teardown: the test folder cannot be
 * removed while it is mounted.
 */
export async function mountTmpfs(
	sizeBytes: number,
	at?: string,
): Promise<TmpfsMount> {
	const path = at ?? (await mkdtemp(join(await makeTempFolder(), "tmpfs-")));
	await mkdir(path, { recursive: true });
	try {
		run("mount", [
			"-t",
			"tmpfs",
			"-o",
			`size=${sizeBytes},mode=0700`,
			"tmpfs",
			path,
		]);
	} catch (error) {
		await rmdir(path).catch(() => {});
		throw error;
	}
	let mounted = true;
	return {
		path,
		setReadOnly: (readOnly) => {
			// A remount to read-only fails (EBUSY) while a process has a file
			// there open for writing, which a running client does for moments.
			for (let attempt = 1; ; attempt += 1) {
				try {
					run("mount", ["-o", `remount,${readOnly ? "ro" : "rw"}`, path]);
					return;
				} catch (error) {
					if (attempt === 50) throw error;
					execFileSync("sleep", ["0.02"]);
				}
			}
		},
		unmount: async () => {
			if (!mounted) return;
			// A process the test started may still hold a file open for a moment.
			run("umount", ["--lazy", path]);
			mounted = false;
			await rmdir(path).catch(() => {});
		},
	};
}

/** Fills the file system holding `folder` to the last byte; returns the filler file to remove. */
export async function fillUp(folder: string): Promise<string> {
	const filler = join(folder, "filler");
	const handle = await open(filler, "w");
	const chunk = Buffer.alloc(4096, 1);
	try {
		for (;;) await handle.write(chunk);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
	} finally {
		await handle.close();
	}
	return filler;
}

/** Why util-linux's prlimit cannot run a process under a file size limit here, or null. */
export function fileSizeLimitUnavailable(): string | null {
	return spawnSync("prlimit", ["--version"], { stdio: "ignore" }).status === 0
		? null
		: "prlimit (util-linux) is not installed; it limits a writer's file size";
}

type Declare = (title: string, implementation: Implementation<[]>) => void;

/**
 * Declares tests that need what `unavailable` says is missing (null: nothing
 * is). On a machine without it they are skipped, saying why once; where
 * CDX_TESTS_NEED_ALL is set (.ci/run, which installs what they need) they
 * fail instead, so a CI run never hides a result.
 */
export function testNeeding(
	unavailable: string | null,
	{ serial = false } = {},
): Declare {
	const declare = serial ? test.serial : test;
	if (unavailable === null) return declare;
	if (process.env.CDX_TESTS_NEED_ALL)
		return (title) => declare(title, (t) => t.fail(unavailable));
	console.log(`skipped where ${unavailable}`);
	return (title, implementation) => test.skip(title, implementation);
}
