import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { buildCdxIfMissing, runCdxAsync } from "../helpers/cdx.js";
import {
	makeTempDatabasePath,
	readDatabase,
	seedChannelIntegration,
} from "../helpers/database.js";
import { names, tree } from "../helpers/demo.js";
import {
	type KillPoint,
	runCdxKilledAt,
	seededDraws,
} from "../helpers/kill-point.js";

test.before(() => {
	buildCdxIfMissing();
});

const lanes = 4;
const killsPerLane = 8;

/** The records of every collection, the part of db.json an operator made. */
async function recordsOf(db: string) {
	const { profiles, workingFolders, dataGroups, channelDatabases } =
		await readDatabase(db);
	return { profiles, workingFolders, dataGroups, channelDatabases };
}

/** An operator's store (working folders, group, profile, channel database) and a file of theirs beside it. */
async function operatorStore(): Promise<string> {
	const db = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(db, { author: "operator" });
	await seedChannelIntegration(store, join(dirname(db), "hq"));
	return db;
}

/**
 * Starts `cdx demo` and SIGKILLs it at `point` (it may finish first). Then
 * `cdx demo --remove` must leave the operator's records and files exactly
 * as they were and no trace of the demo, and a second `cdx demo` must work.
 */
async function killDemo(
	t: ExecutionContext,
	db: string,
	point: KillPoint,
): Promise<{
	landed: boolean;
	ms: number;
	removal: string;
	leftLock: boolean;
	traces: number;
}> {
	const records = await recordsOf(db);
	const files = await tree(dirname(db));
	const { landed, ms } = await runCdxKilledAt(["demo", "--db", db], point, db);
	const at = `killed ${point.afterMs.toFixed(1)} ms after ${point.from}`;
	// What a writer killed midway leaves: temporary files, a lock.
	const traces = (await tree(join(dirname(db), "demo"))).filter((path) =>
		/\.tmp$|\.lock$/.test(path),
	).length;

	const removed = await runCdxAsync(["demo", "--remove", "--db", db]);
	// Killed before it wrote its manifest, the demo added nothing to take back.
	const removal =
		removed.status === 0
			? "removed"
			: /no demo here \(no cdx-demo\.json\); nothing was removed/.test(
						removed.stderr,
					)
				? "nothing to remove"
				: `failed: ${removed.stderr.trim()}`;
	t.not(removal.slice(0, 6), "failed", `${at}: ${removal}`);
	t.deepEqual(
		await recordsOf(db),
		records,
		`${at}: the operator's records, and only theirs`,
	);
	// An empty demo/ is left when the kill came before the manifest: cdx demo
	// takes an empty folder. A kill inside a save leaves the store's lock
	// (with the killed writer's temporary files), which the next writer breaks
	// once stale, as after any killed writer: the second demo below.
	const left = (await tree(dirname(db))).filter(
		(path) => path !== "demo" && !path.startsWith("db.json.lock"),
	);
	t.deepEqual(left, files, `${at}: the operator's files, and only theirs`);
	const leftLock = (await tree(dirname(db))).includes("db.json.lock");
	// Killed before its manifest was in place, a demo may leave that manifest's temporary file; the next cdx demo clears it.
	t.deepEqual(
		(await tree(join(dirname(db), "demo"))).filter(
			(path) => !/^\.cdx-demo\.json\.\d+\.[0-9a-f]+\.tmp$/.test(path),
		),
		[],
		`${at}: demo/ empty`,
	);

	const again = await runCdxAsync(["demo", "--db", db]);
	t.is(again.status, 0, `${at}: cdx demo again: ${again.stderr}`);
	t.deepEqual(
		names(db, "channel-db"),
		["DEMO-STORE-1", "DEMO-STORE-2", "STORE-1"],
		at,
	);
	const cleared = await runCdxAsync(["demo", "--remove", "--db", db]);
	t.is(
		cleared.status,
		0,
		`${at}: cdx demo --remove after it: ${cleared.stderr}`,
	);
	t.deepEqual(await recordsOf(db), records, `${at}: back to the operator's`);
	t.deepEqual(await tree(dirname(db)), files, `${at}: no lock, no demo/`);
	return { landed, ms, removal, leftLock, traces };
}

test(`cdx demo killed at random points ${lanes * killsPerLane} times: --remove takes back exactly what it added, and cdx demo then works`, async (t) => {
	// A kill inside a save leaves a lock the next writer waits out (5 s);
	// the timeout only turns a hang into a failure.
	t.timeout(900_000);
	const draws = seededDraws(t, lanes, killsPerLane);
	const results = (
		await Promise.all(
			Array.from({ length: lanes }, async (_, lane) => {
				const db = await operatorStore();
				let lifetimeMs = 1000;
				const kills = [];
				for (let round = 0; round < killsPerLane; round += 1) {
					const draw = draws[lane]?.[round] ?? 0;
					// Half anywhere in a run after node's first fifth, half while it saves and writes packages.
					const point: KillPoint =
						(lane + round) % 2 === 0
							? { afterMs: (0.2 + 0.8 * draw) * lifetimeMs, from: "start" }
							: { afterMs: draw * lifetimeMs * 0.5, from: "first save" };
					const kill = await killDemo(t, db, point);
					if (!kill.landed) lifetimeMs = kill.ms;
					kills.push(kill);
				}
				return kills;
			}),
		)
	).flat();
	const count = (removal: string) =>
		results.filter((kill) => kill.removal === removal).length;
	t.log(
		`${results.length} kills: ${results.filter((kill) => kill.landed).length} landed before the demo finished; --remove took back a demo ${count("removed")} times, found none ${count("nothing to remove")} times; ${results.filter((kill) => kill.leftLock).length} kills left the store's lock for the next writer, ${results.filter((kill) => kill.traces > 0).length} a temporary file or lock in demo/; the operator's records and files were always as before, and cdx demo always worked after`,
	);
	t.true(
		results.filter((kill) => kill.landed).length >= results.length * 0.6,
		"most kills landed",
	);
});
