import type { ChildProcess } from "node:child_process";
import { existsSync, watch } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import fc from "fast-check";
import { toConfiguration } from "../../source/store/schema.js";
import { addProfileArgs, buildCdxIfMissing, spawnCdx } from "../helpers/cdx.js";
import { makeProfiles, makeTempDatabase } from "../helpers/database.js";
import { waitUntil } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});

// staleLockMs in source/store/lock.ts: a lock nobody refreshed for this long is broken.
const staleLockMs = 5000;
const lanes = 4;
const trialsPerLane = 6;
const seed = Number(process.env.CDX_KILL_SEED ?? Date.now() % 2 ** 31);

/**
 * One trial: where the first writer is stopped (ms after it took the lock),
 * when the second writer starts, and when the first is resumed.
 */
type Plan = {
	stopAfterMs: number;
	secondStarts: "at-once" | "once-stale";
	resume: "second-holds-lock" | "second-done" | "before-stale";
};

const plans = fc.sample(
	fc.record<Plan>({
		stopAfterMs: fc.integer({ min: 0, max: 12 }),
		secondStarts: fc.constantFrom("at-once", "once-stale"),
		resume: fc.constantFrom("second-holds-lock", "second-done", "before-stale"),
	}),
	{ seed, numRuns: lanes * trialsPerLane },
);

type Ended = { code: number | null; stderr: string };

function ended(child: ChildProcess): Promise<Ended> {
	let stderr = "";
	child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
		stderr += chunk;
	});
	return new Promise((resolve) =>
		child.on("close", (code) => resolve({ code, stderr })),
	);
}

/** Whether the lock folder holds a token of process `pid` (its name carries the pid). */
async function holdsLock(
	db: string,
	pid: number | undefined,
): Promise<boolean> {
	const names = await readdir(`${db}.lock`).catch(() => [] as string[]);
	return names.some((name) => name.includes(`.${pid}.`));
}

async function lockIsStale(db: string): Promise<boolean> {
	const info = await stat(`${db}.lock`).catch(() => null);
	return info === null || Date.now() - info.mtimeMs > staleLockMs;
}

type Trial = {
	stoppedHoldingLock: boolean;
	first: Ended;
	second: Ended;
};

/**
 * Starts `cdx profile add FIRST`, SIGSTOPs it once it holds the lock, runs
 * `cdx profile add SECOND` and SIGCONTs the first as `plan` says. Every
 * add that reported success must be in the file; one that did not must
 * have said so in one line and left nothing behind.
 */
async function stallTrial(
	t: ExecutionContext,
	db: string,
	names: { first: string; second: string },
	plan: Plan,
): Promise<Trial> {
	const label = `seed ${seed}, ${names.first} ${JSON.stringify(plan)}`;
	const first = spawnCdx(addProfileArgs(db, names.first));
	const firstEnded = ended(first);
	let exited = false;
	void firstEnded.then(() => {
		exited = true;
	});
	// The lock is a folder beside the database, made as the save begins.
	const lockTaken = new Promise<void>((resolve) => {
		const watcher = watch(dirname(db), (_event, file) => {
			if (file === "db.json.lock") {
				watcher.close();
				resolve();
			}
		});
		void firstEnded.then(() => {
			watcher.close();
			resolve();
		});
	});
	await lockTaken;
	if (plan.stopAfterMs > 0)
		await new Promise((resolve) => setTimeout(resolve, plan.stopAfterMs));
	if (!exited) first.kill("SIGSTOP");
	const stoppedHoldingLock = !exited && (await holdsLock(db, first.pid));

	if (plan.secondStarts === "once-stale")
		await waitUntil(() => lockIsStale(db), `${label}: a stale lock`, 20_000);
	const second = spawnCdx(addProfileArgs(db, names.second));
	const secondEnded = ended(second);
	let secondExited = false;
	void secondEnded.then(() => {
		secondExited = true;
	});
	if (plan.resume === "second-holds-lock")
		await waitUntil(
			async () => secondExited || (await holdsLock(db, second.pid)),
			`${label}: the second writer taking the lock`,
			30_000,
		);
	if (plan.resume === "second-done") await secondEnded;
	first.kill("SIGCONT");
	const [firstResult, secondResult] = await Promise.all([
		firstEnded,
		secondEnded,
	]);

	const profiles = toConfiguration(
		JSON.parse(await readFile(db, "utf8")),
		db,
	).profiles.map((profile) => profile.name);
	for (const [name, result] of [
		[names.first, firstResult],
		[names.second, secondResult],
	] as const) {
		if (result.code === 0) {
			t.true(profiles.includes(name), `${label}: ${name} reported saved`);
		} else {
			t.false(profiles.includes(name), `${label}: ${name} reported unsaved`);
			t.regex(
				result.stderr,
				/^cdx: .*db\.json: not saved: .*another writer took the lock over; nothing was written, so run it again\n$/,
				`${label}: ${name} says why in one line`,
			);
		}
	}
	t.deepEqual(
		await readdir(dirname(db)),
		["db.json"],
		`${label}: no lock or temporary file left`,
	);
	return { stoppedHoldingLock, first: firstResult, second: secondResult };
}

test(`a writer stopped with SIGSTOP while it holds the lock never undoes a later save (${lanes * trialsPerLane} stalls, seeded)`, async (t) => {
	t.timeout(600_000);
	t.log(`seed ${seed} (set CDX_KILL_SEED to replay)`);
	const trials = (
		await Promise.all(
			Array.from({ length: lanes }, async (_, lane) => {
				const db = await makeTempDatabase(makeProfiles(1000));
				const results: Trial[] = [];
				for (let round = 0; round < trialsPerLane; round += 1) {
					const plan = plans[lane * trialsPerLane + round] as Plan;
					results.push(
						await stallTrial(
							t,
							db,
							{ first: `A${lane}-${round}`, second: `B${lane}-${round}` },
							plan,
						),
					);
				}
				return results;
			}),
		)
	).flat();
	const held = trials.filter((trial) => trial.stoppedHoldingLock);
	const refused = trials.filter((trial) => trial.first.code !== 0).length;
	const seconds = trials.filter((trial) => trial.second.code === 0).length;
	t.log(
		`${trials.length} stalls, ${held.length} while the first writer held the lock: the second writer saved ${seconds} times; the first was refused ${refused} times (lock taken over) and saved the other ${trials.length - refused}; 0 saves lost`,
	);
	t.true(
		held.length >= trials.length / 2,
		"most stops land while the lock is held",
	);
	t.is(seconds, trials.length, "the second writer always saves");
});

test("a save removes the temporary file a killed writer left beside db.json, never one of a writer that still runs", async (t) => {
	const db = await makeTempDatabase(makeProfiles(1));
	// A finished process's pid stands for a killed writer; this test's own for a stopped one.
	const gone = spawnCdx(["--version"]);
	await ended(gone);
	const killed = join(dirname(db), `.db.json.${gone.pid}.0badc0de.tmp`);
	const live = join(dirname(db), `.db.json.${process.pid}.0badc0de.tmp`);
	await writeFile(killed, "half");
	await writeFile(live, "half");
	const added = spawnCdx(addProfileArgs(db, "NEXT"));
	t.is((await ended(added)).code, 0);
	t.false(existsSync(killed), "the killed writer's file is removed");
	t.true(existsSync(live), "the live writer's file is kept");
});
