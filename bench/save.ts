import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { profileKind } from "../source/domain/profile.js";
import { writeFileAtomically } from "../source/store/atomic-write.js";
import { ConfigurationStore } from "../source/store/configuration-store.js";
import { tempFolder, writeLargeDatabase } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { distribution, percentile } from "./lib/stats.js";

const saves = 200;

/**
 * One profile edited and saved through the store, as the TUI's form does:
 * ConfigurationStore.save with the version the editor started from. Each
 * save takes the lock, checks the file, writes it whole, fsyncs it and the
 * folder. The baseline writes the same bytes as the database file the same
 * durable way (temporary file, fsync, rename, fsync of the folder), which no
 * store that rewrites the whole file can beat.
 */
async function measure(): Promise<MeasurementResult> {
	const db = await writeLargeDatabase("save");
	const store = await ConfigurationStore.open(db, { author: "bench@save" });
	const times: number[] = [];
	for (let index = 0; index < saves; index++) {
		const { configuration } = store.getSnapshot();
		const profile = configuration.profiles[17];
		if (!profile) throw new Error("the fixture has no profile 17");
		const draft = {
			...profileKind.toDraft(profile, configuration),
			downloadIntervalMinutes: String(5 + (index % 50)),
		};
		const started = performance.now();
		const outcome = await store.save(profileKind, draft, {
			id: profile.id,
			expectedVersion: profile.version,
		});
		times.push(performance.now() - started);
		if (!outcome.ok)
			throw new Error(`save ${index} refused: ${JSON.stringify(outcome)}`);
		if ((index + 1) % 50 === 0) progress(`saves ${index + 1}/${saves}`);
	}
	const text = await readFile(db, "utf8");
	const copy = join(await tempFolder("save-baseline"), "db.json");
	const baseline: number[] = [];
	for (let index = 0; index < saves; index++) {
		const started = performance.now();
		await writeFileAtomically(copy, text);
		baseline.push(performance.now() - started);
	}
	return {
		id: "save",
		title:
			"Save of one edited profile (10,000 channel databases, 200 profiles)",
		method: `ConfigurationStore.save of one Async Server profile (new download interval, expected version), ${saves} saves in a row on the fixture, timed from the call until it resolved (lock, read check, validation, whole-file write, fsync of file and folder). Baseline: writing the same bytes durably (temporary file, fsync, rename, fsync of the folder), ${saves} times.`,
		figures: [
			figure("save p50", percentile(times, 50), "ms", {
				baseline: {
					name: "durable write of the same file, p50",
					value: percentile(baseline, 50),
				},
				target: { atMost: 10, text: "p50 ≤ 10 ms incl. fsync" },
			}),
			figure("save p99", percentile(times, 99), "ms", {
				baseline: {
					name: "durable write of the same file, p99",
					value: percentile(baseline, 99),
				},
			}),
			figure("database file size", text.length / 1e6, "MB"),
		],
		notes: [],
		details: {
			save: distribution(times),
			durableWrite: distribution(baseline),
		},
	};
}

await runMeasurement(measure);
