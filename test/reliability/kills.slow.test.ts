import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname } from "node:path";
import test, { type ExecutionContext } from "ava";
import { toConfiguration } from "../../source/store/schema.js";
import {
	addProfileArgs,
	buildCdxIfMissing,
	runCdxAsync,
} from "../helpers/cdx.js";
import {
	makeProfiles,
	makeTempDatabase,
	readBytes,
} from "../helpers/database.js";
import {
	type KillPoint,
	runCdxKilledAt,
	seededDraws,
} from "../helpers/kill-point.js";

test.before(() => {
	buildCdxIfMissing();
});

const lanes = 10;
const killsPerLane = 5;

type Kill = {
	landed: boolean;
	leftLock: boolean;
	outcome: "old" | "new";
	ms: number;
};

/**
 * Starts `cdx profile add NAME` and SIGKILLs it at `point` (it may finish
 * first). The file must then be exactly the old bytes, or the old profiles
 * plus NAME, and the next writer must get in (breaking a lock left behind).
 */
async function killDuringAdd(
	t: ExecutionContext,
	db: string,
	name: string,
	point: KillPoint,
): Promise<Kill> {
	const before = await readBytes(db);
	const oldProfiles = toConfiguration(
		JSON.parse(before.toString()),
		db,
	).profiles;
	// The lock is a folder beside the database, made as the save begins.
	const { landed, ms } = await runCdxKilledAt(
		addProfileArgs(db, name),
		point,
		`${db}.lock`,
	);
	const leftLock = existsSync(`${db}.lock`);

	const after = await readBytes(db);
	let outcome: Kill["outcome"] = "old";
	if (!after.equals(before)) {
		// Anything but the old bytes must parse, with the store's schema, as old + NAME.
		const profiles = toConfiguration(JSON.parse(after.toString()), db).profiles;
		t.deepEqual(
			profiles.slice(0, -1),
			oldProfiles,
			`${name}: the old profiles survive`,
		);
		t.is(profiles.at(-1)?.name, name, `${name}: the new profile is whole`);
		outcome = "new";
	}

	// However long breaking a left lock takes here, the next writer must get in.
	const next = await runCdxAsync(addProfileArgs(db, `${name}-NEXT`));
	t.is(next.status, 0, `${name}: the next writer: ${next.stderr}`);
	return { landed, leftLock, outcome, ms };
}

test(`cdx profile add killed at random points ${lanes * killsPerLane} times: the file is always old or new, and the next writer gets in`, async (t) => {
	// Kills that leave a lock wait out its stale time: about half a minute in
	// all; the timeout only turns a hang into a failure.
	t.timeout(600_000);
	const draws = seededDraws(t, lanes, killsPerLane);
	// Half the kills fall anywhere in a run (mostly while node starts), half
	// within a few milliseconds of the writer taking the lock: during the save.
	const results = (
		await Promise.all(
			Array.from({ length: lanes }, async (_, lane) => {
				const db = await makeTempDatabase(makeProfiles(100));
				const kills: Kill[] = [];
				let lifetimeMs = 400;
				for (let round = 0; round < killsPerLane; round += 1) {
					const draw = draws[lane]?.[round] ?? 0;
					const point: KillPoint =
						(lane + round) % 2 === 0
							? { afterMs: draw * lifetimeMs, from: "start" }
							: { afterMs: draw * 8, from: "lock" };
					const kill = await killDuringAdd(t, db, `K${lane}-${round}`, point);
					if (!kill.landed) lifetimeMs = kill.ms;
					kills.push(kill);
				}
				// Each kill's next writer, holding the lock, removed what the killed one left.
				t.deepEqual(
					await readdir(dirname(db)),
					["db.json"],
					"nothing but db.json",
				);
				return kills;
			}),
		)
	).flat();
	const landed = results.filter((kill) => kill.landed).length;
	const count = (outcome: Kill["outcome"]) =>
		results.filter((kill) => kill.outcome === outcome).length;
	t.log(
		`${results.length} kills: ${landed} landed before the process finished, ${results.filter((kill) => kill.leftLock).length} left a lock the next writer had to break; the file was the old one ${count("old")} times, the new one ${count("new")} times, never anything else; no temporary file left beside db.json`,
	);
	t.true(landed >= results.length * 0.8, "most kills landed");
});
