import { existsSync } from "node:fs";
import test, { type ExecutionContext } from "ava";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { toConfiguration } from "../../source/store/schema.js";
import {
	makeTempDatabasePath,
	profileDraft,
	readBytes,
	readDatabase,
} from "../helpers/database.js";
import {
	finished,
	type SaveReport,
	saveProfilesScript,
	saveReports,
	spawnTypeScript,
} from "../helpers/processes.js";
import { seededRandom } from "../helpers/seeded-random.js";

// The store's saves from several processes at once, and from one killed
// while saving: minutes of real processes, so they run in `npm run test:slow`.

/**
 * One writer started, killed at a random moment while saving, and checked:
 * the file parses with the right schema, holds every save the writer
 * reported done, and a new store can save. Resolves to whether the killed
 * writer left a lock behind. `killAfter` (0–1) is when, within 150 ms of the
 * writer being ready.
 */
async function killWhileSaving(
	t: ExecutionContext,
	path: string,
	round: number,
	killAfter: number,
): Promise<boolean> {
	const writer = spawnTypeScript(saveProfilesScript, [
		path,
		`R${round}`,
		"forever",
	]);
	const run = await finished(writer, (line) => {
		if (line === "ready")
			setTimeout(() => writer.kill("SIGKILL"), killAfter * 150);
	});
	t.is(run.signal, "SIGKILL", run.stderr);

	const text = await readBytes(path);
	const configuration = toConfiguration(
		JSON.parse(text.toString("utf8")),
		path,
	);
	const names = new Set(configuration.profiles.map((profile) => profile.name));
	const lost = saveReports(run.lines)
		.filter((report) => report.ok && !names.has(report.name))
		.map((report) => report.name);
	t.deepEqual(lost, [], "saves reported done are in the file");

	const lockLeft = existsSync(`${path}.lock`);
	// However long breaking a left lock takes here, the next save must land.
	const next = await ConfigurationStore.open(path);
	const outcome = await next.save(
		profileKind,
		profileDraft({ name: `AFTER-${round}` }),
	);
	t.true(outcome.ok, JSON.stringify(outcome));
	return lockLeft;
}

test("a writer killed at random moments never leaves a broken file or a lock that blocks", async (t) => {
	// A kill usually lands while the writer holds the lock, which the next
	// writer may break only once it is stale: the kills run in lanes, one
	// database each, so 33 of them take about three stale periods.
	const lanes = 11;
	const roundsPerLane = 3;
	// Drawn up front, so that a seed replays the same kill points whatever
	// order the lanes run in.
	const random = seededRandom(t);
	const draws = Array.from({ length: lanes * roundsPerLane }, () => random());
	const leftLocks = await Promise.all(
		Array.from({ length: lanes }, async (_, lane) => {
			const path = await makeTempDatabasePath();
			let left = 0;
			for (let round = 0; round < roundsPerLane; round += 1) {
				const index = lane * roundsPerLane + round;
				if (await killWhileSaving(t, path, index + 1, draws[index] ?? 0))
					left += 1;
			}
			return left;
		}),
	);
	const total = leftLocks.reduce((sum, left) => sum + left, 0);
	t.log(`${lanes * roundsPerLane} kills, ${total} left a lock to break`);
});

test("four processes saving 50 profiles each at once lose none of them", async (t) => {
	const path = await makeTempDatabasePath();
	await ConfigurationStore.open(path);
	const prefixes = ["P1", "P2", "P3", "P4"];
	const runs = await Promise.all(
		prefixes.map((prefix) =>
			finished(spawnTypeScript(saveProfilesScript, [path, prefix, "50"])),
		),
	);
	const refused: SaveReport[] = runs.flatMap((run) =>
		saveReports(run.lines).filter((report) => !report.ok),
	);
	t.deepEqual(refused, []);
	const expected = prefixes.flatMap((prefix) =>
		Array.from({ length: 50 }, (_, index) => `${prefix}-${index + 1}`),
	);
	const names = (await readDatabase(path)).profiles.map(
		(profile) => profile.name,
	);
	t.deepEqual([...names].sort(), [...expected].sort());
});
