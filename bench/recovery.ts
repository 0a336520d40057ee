import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { profileKind } from "../source/domain/profile.js";
import { ConfigurationStore } from "../source/store/configuration-store.js";
import { staleLockMs } from "../source/store/lock.js";
import { makeClientSetup, startIdleClient } from "./lib/client-setup.js";
import { tempFolder } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { distribution, percentile } from "./lib/stats.js";

const stops = 10;
const leftLocks = 5;

/** SIGTERM to exit of an idle client, timed in this process. */
async function clientStops(): Promise<number[]> {
	const times: number[] = [];
	for (let round = 1; round <= stops; round++) {
		const setup = await makeClientSetup();
		const client = await startIdleClient(setup);
		const started = performance.now();
		await client.stop();
		times.push(performance.now() - started);
		if (client.child.exitCode !== 0)
			throw new Error(
				`client exited ${client.child.exitCode}: ${client.stderr()}`,
			);
		progress(`client stops ${round}/${stops}`);
	}
	return times;
}

/**
 * A save that finds the lock a killed writer left (a fresh `db.json.lock`
 * folder nobody refreshes): it waits until the lock is stale and breaks it.
 */
async function savesPastLeftLock(): Promise<number[]> {
	const times: number[] = [];
	for (let round = 1; round <= leftLocks; round++) {
		const db = join(await tempFolder("left-lock"), "db.json");
		const store = await ConfigurationStore.open(db, { author: "bench@lock" });
		await mkdir(`${db}.lock`);
		const started = performance.now();
		const outcome = await store.save(profileKind, {
			...profileKind.emptyDraft(),
			name: `AFTER-${round}`,
			downloadIntervalMinutes: "15",
			uploadIntervalMinutes: "30",
		});
		times.push(performance.now() - started);
		if (!outcome.ok)
			throw new Error(`save refused: ${JSON.stringify(outcome)}`);
		progress(`saves past a left lock ${round}/${leftLocks}`);
	}
	return times;
}

/**
 * How soon things recover: a client stopping on SIGTERM (a service stop)
 * and the next writer after one was killed holding the lock. The tests
 * check that both happen; how soon is measured here.
 */
async function measure(): Promise<MeasurementResult> {
	const stopTimes = await clientStops();
	const lockTimes = await savesPastLeftLock();
	return {
		id: "recovery",
		title: "Recovery: a client's stop, the next save after a killed writer",
		method: `${stops} idle clients (started, start-up runs done) sent SIGTERM, timed until the process exited. ${leftLocks} saves through the store that find the lock folder a killed writer leaves (nobody refreshes it), timed until the save resolved: the lock must go stale (${staleLockMs / 1000} s) and be broken.`,
		figures: [
			figure("client stop, slowest", Math.max(...stopTimes), "ms", {
				target: { atMost: 3000, text: "≤ 3 s" },
			}),
			figure("client stop p50", percentile(stopTimes, 50), "ms"),
			figure(
				"save past a killed writer's lock, slowest",
				Math.max(...lockTimes),
				"ms",
				{
					target: {
						atMost: staleLockMs + 3000,
						text: "≤ stale time + 3 s",
					},
				},
			),
		],
		notes: [],
		details: {
			clientStop: distribution(stopTimes),
			savePastLeftLock: distribution(lockTimes),
		},
	};
}

await runMeasurement(measure);
