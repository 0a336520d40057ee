import { watch } from "node:fs";
import { dirname } from "node:path";
import { profileKind } from "../source/domain/profile.js";
import { scheduleFor } from "../source/domain/profile-schedule.js";
import { nextRun } from "../source/domain/schedule.js";
import {
	makeClientSetup,
	pathsOf,
	readState,
	startIdleClient,
} from "./lib/client-setup.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { distribution, percentile } from "./lib/stats.js";

const edits = 50;

/**
 * Resolves once `done` holds, checking whenever the state folder changes
 * and every 2 ms besides (a watcher can be late; polling is the floor).
 */
function whenState(
	folder: string,
	done: () => Promise<boolean>,
): Promise<void> {
	return new Promise((resolve, reject) => {
		let settled = false;
		const deadline = setTimeout(
			() =>
				finish(new Error("the client's state never showed the edit (10 s)")),
			10_000,
		);
		const watcher = watch(folder, () => void check());
		const poll = setInterval(() => void check(), 2);
		function finish(error?: Error) {
			if (settled) return;
			settled = true;
			clearTimeout(deadline);
			clearInterval(poll);
			watcher.close();
			if (error) reject(error);
			else resolve();
		}
		let checking = false;
		async function check() {
			if (checking || settled) return;
			checking = true;
			try {
				if (await done()) finish();
			} finally {
				checking = false;
			}
		}
		void check();
	});
}

/**
 * Two processes, as in production: a running `cdx client` and an operator's
 * save. Each edit changes the profile's download interval through the store
 * API; the time runs from the save call until the client's state file shows
 * the next download the new interval gives (the time the live panel shows).
 */
async function measure(): Promise<MeasurementResult> {
	const setup = await makeClientSetup({
		name: "STORE-1",
		downloadIntervalMinutes: 600,
		uploadIntervalMinutes: 1440,
	});
	const client = await startIdleClient(setup);
	try {
		const stateFolder = dirname(
			pathsOf(setup, setup.channelDatabase).stateFile,
		);
		const times: number[] = [];
		const saves: number[] = [];
		for (let index = 0; index < edits; index++) {
			const { configuration } = setup.store.getSnapshot();
			const profile = configuration.profiles.find(
				(candidate) => candidate.name === setup.profile,
			);
			const database = configuration.channelDatabases.find(
				(candidate) => candidate.name === setup.channelDatabase,
			);
			if (!profile || !database) throw new Error("the setup lost its records");
			// Long intervals, each unlike the one before: every edit moves the next download.
			const interval = 600 + ((index * 37) % 800) + (index % 2);
			const started = performance.now();
			const outcome = await setup.store.save(
				profileKind,
				{
					...profileKind.toDraft(profile, configuration),
					downloadIntervalMinutes: String(interval),
				},
				{ id: profile.id, expectedVersion: profile.version },
			);
			saves.push(performance.now() - started);
			if (!outcome.ok) throw new Error(`edit ${index} refused`);
			const schedule = scheduleFor(outcome.record, database, "download");
			const savedAt = new Date();
			await whenState(stateFolder, async () => {
				const shown = (await readState(setup))?.nextDownloadAt ?? null;
				// The client works it out a moment after the save: a grid line may pass between.
				return (
					shown === nextRun(schedule, savedAt).toISOString() ||
					shown === nextRun(schedule, new Date()).toISOString()
				);
			});
			times.push(performance.now() - started);
			if ((index + 1) % 10 === 0) progress(`edits ${index + 1}/${edits}`);
		}
		return {
			id: "edit-to-panel",
			title:
				"Edit to panel: a saved interval until the running client's state shows it",
			method: `A running cdx client (own process) and ${edits} saves of its profile's download interval through ConfigurationStore.save (a small store). Time from the save call until the client's state/<database>.json shows the next download the new interval gives, watched with fs.watch plus 2 ms polling. Baseline: the save alone.`,
			figures: [
				figure("edit to panel p50", percentile(times, 50), "ms", {
					baseline: { name: "save alone, p50", value: percentile(saves, 50) },
					target: { atMost: 200, text: "p50 ≤ 200 ms" },
				}),
				figure("edit to panel p99", percentile(times, 99), "ms", {
					baseline: { name: "save alone, p99", value: percentile(saves, 99) },
					target: { atMost: 1000, text: "p99 ≤ 1 s" },
				}),
			],
			notes: [],
			details: { editToPanel: distribution(times), save: distribution(saves) },
		};
	} finally {
		await client.stop();
	}
}

await runMeasurement(measure);
