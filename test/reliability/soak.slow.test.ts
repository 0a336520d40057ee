import { mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import test from "ava";
import {
	emptyUploadJournal,
	writeUploadJournal,
} from "../../source/client/channel-data/upload-rows.js";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import { listCompleteFiles } from "../../source/client/files.js";
import { pruneOldData } from "../../source/client/retention.js";
import { SessionLog } from "../../source/client/session-log.js";
import {
	defaultParameters,
	type SchedulerParametersFields,
} from "../../source/domain/configuration.js";
import {
	packageFileName,
	sequenceOfFileName,
} from "../../source/domain/package-format.js";
import type { Direction } from "../../source/domain/profile-schedule.js";
import { parseSessionLog } from "../../source/domain/session-events.js";
import { makeTempFolder } from "../helpers/database.js";
import { mountTmpfs, tmpfsUnavailable } from "../helpers/mounts.js";
import {
	every,
	hour,
	minute,
	type Run,
	startScheduler,
} from "../helpers/scheduler-harness.js";

// Node exposes gc() to code that sets the flag at run time, without --expose-gc.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
	collectGarbage();
	collectGarbage();
	return process.memoryUsage().heapUsed;
}

const day = 24 * hour;
const month = 30 * day;
const start = Date.parse("2026-12-01T00:00:00.000Z");
const parameters: SchedulerParametersFields = {
	...defaultParameters,
	keepDownloadSessionsDays: 2,
	keepUploadSessionsDays: 3,
	keepPackagesDays: 1,
};
// A package from headquarters, and one to upload, every twenty runs.
const packageEveryRuns = 20;

const iso = (ms: number) => new Date(ms).toISOString();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/**
 * The client's retention (source/client/retention.ts) on real files, fed by
 * the runs of a scheduler on a fake clock: every twentieth download applies
 * a package from headquarters and every twentieth upload writes one, each with its
 * session. The files
 * are written between simulated hours, outside fake time, so a run takes no
 * fake time and every run must start exactly on its minute.
 */
async function retentionWorld(root: string) {
	const downloadFolder = join(root, "download", "GROUP-A");
	const uploadFolder = join(root, "upload", "STORE1");
	await mkdir(downloadFolder, { recursive: true });
	await mkdir(uploadFolder, { recursive: true });
	const store = new ChannelDataStore(join(root, "channels", "STORE1"));
	await store.prepare();
	const sessions = await SessionLog.open(join(root, "STORE1.sessions.jsonl"));
	const sequence: Record<Direction, number> = { download: 0, upload: 0 };
	const newPackages: { direction: Direction; sequence: number; at: number }[] =
		[];
	let packagesWritten = 0;

	const onRun = (run: Run) => {
		sequence[run.direction] += 1;
		const runs = sequence[run.direction];
		if (runs % packageEveryRuns !== 0) return;
		const packageSequence = runs / packageEveryRuns;
		const common = {
			id: `${run.direction}:${packageSequence}`,
			package: packageFileName(packageSequence),
			sequence: packageSequence,
			tries: 1,
			rows: 1,
			startedAt: run.at,
			finishedAt: run.at,
			error: null,
			at: run.at,
		};
		void sessions.record(
			run.direction === "download"
				? { ...common, direction: "download", status: "Applied" }
				: { ...common, direction: "upload", status: "Uploaded" },
		);
		newPackages.push({
			direction: run.direction,
			sequence: packageSequence,
			at: Date.parse(run.at),
		});
	};

	/** What an hour of runs left on disk, then retention as the client runs it (hourly). */
	const endOfHour = async (now: Date) => {
		for (const pkg of newPackages.splice(0)) {
			const file = join(
				pkg.direction === "download" ? downloadFolder : uploadFolder,
				packageFileName(pkg.sequence),
			);
			await writeFile(file, "{}\n");
			const time = new Date(pkg.at);
			await utimes(file, time, time);
			packagesWritten += 1;
		}
		await sessions.flushed();
		// Everything found was applied, everything written was uploaded.
		await store.writeProgress({
			formatVersion: 1,
			groups: {
				"GROUP-A": {
					sequence: Math.floor(sequence.download / packageEveryRuns),
					appliedAt: now.toISOString(),
					generation: 0,
					attempts: {},
					setAside: {},
				},
			},
			lastFullSyncAt: null,
		});
		await store.engine.write((transaction) =>
			writeUploadJournal(transaction, {
				...emptyUploadJournal(),
				lastSequence: Math.floor(sequence.upload / packageEveryRuns),
			}),
		);
		return pruneOldData({
			parameters,
			store,
			sessions,
			dataGroup: "GROUP-A",
			uploadFolder,
			now,
		});
	};

	return {
		sessions,
		downloadFolder,
		uploadFolder,
		onRun,
		endOfHour,
		packagesWritten: () => packagesWritten,
	};
}

test("a month of 1-minute runs: every run on its minute, none missed or doubled, memory and handles flat, old sessions and packages pruned", async (t) => {
	// A simulated month takes half a minute on a quiet machine, minutes on a
	// busy one; the timeout only turns a hang into a failure.
	t.timeout(900_000);
	// On a tmpfs an fsync costs nothing: the month takes half the time it takes on a disk.
	const fast = tmpfsUnavailable() === null;
	const mount = fast ? await mountTmpfs(64 * 1024 * 1024) : undefined;
	t.teardown(() => mount?.unmount());
	const world = await retentionWorld(mount?.path ?? (await makeTempFolder()));
	const expectedNext: Record<Direction, number> = {
		download: start + minute,
		upload: start + minute,
	};
	const runs: Record<Direction, number> = { download: 0, upload: 0 };
	const offSlot: string[] = [];
	let notScheduled = 0;
	const scheduler = startScheduler({
		start: iso(start),
		download: every(1),
		upload: every(1),
		keepHistory: false,
		onRun: (run) => {
			const at = Date.parse(run.at);
			runs[run.direction] += 1;
			if (run.reason !== "schedule") notScheduled += 1;
			// A doubled run repeats a minute, a missed one skips one, drift leaves the grid.
			if (at !== expectedNext[run.direction] && offSlot.length < 5)
				offSlot.push(
					`${run.direction} at ${run.at}, expected ${iso(expectedNext[run.direction])}`,
				);
			expectedNext[run.direction] = at + minute;
			world.onRun(run);
		},
	});
	const pruned = { sessions: 0, packages: 0 };
	let settled = { heap: 0, handles: 0 };
	const started = Date.now();
	for (let elapsed = hour; elapsed <= month; elapsed += hour) {
		await scheduler.clock.advance(hour);
		const done = await world.endOfHour(scheduler.clock.now());
		pruned.sessions += done.sessions;
		pruned.packages += done.packages;
		// After three days every retention window is full: from here on nothing may grow.
		if (elapsed === 3 * day)
			settled = {
				heap: heapAfterGc(),
				handles: process.getActiveResourcesInfo().length,
			};
	}
	const end = scheduler.clock.now().getTime();
	const final = {
		heap: heapAfterGc(),
		handles: process.getActiveResourcesInfo().length,
	};
	await scheduler.stop();

	const slots = month / minute;
	t.log(
		`${slots} slots simulated in ${((Date.now() - started) / 1000).toFixed(1)} s (files on ${fast ? "a tmpfs" : "the test folder's disk"}): ${runs.download} downloads, ${runs.upload} uploads, longest sleep ${scheduler.clock.longestSleepMs} ms`,
	);
	t.deepEqual(offSlot, [], "every run exactly on its minute");
	t.is(runs.download, slots);
	t.is(runs.upload, slots);
	t.is(notScheduled, 0, "no catch-up or extra runs");
	t.is(scheduler.mostAtOnce(), 1, "runs never overlap");
	t.true(scheduler.clock.longestSleepMs <= 1000);

	const growth = final.heap - settled.heap;
	t.log(
		`heap after GC: ${mb(settled.heap)} on day 3, ${mb(final.heap)} on day 30 (${growth >= 0 ? "+" : ""}${mb(growth)}); active handles ${settled.handles} → ${final.handles}`,
	);
	t.true(growth < 4 * 1024 * 1024, "the heap does not grow with time");
	t.true(final.handles <= settled.handles, "no handle left open per run");

	// Retention ran hourly, so nothing may be older than its window plus an hour.
	const history = parseSessionLog(
		await readFile(world.sessions.file, "utf8"),
	).sessions;
	const oldest = (direction: Direction) =>
		Math.min(
			...history
				.filter((session) => session.direction === direction)
				.map((session) => Date.parse(session.at)),
		);
	t.true(
		oldest("download") >=
			end - parameters.keepDownloadSessionsDays * day - hour,
	);
	t.true(
		oldest("upload") >= end - parameters.keepUploadSessionsDays * day - hour,
	);
	const keptSessions =
		((parameters.keepDownloadSessionsDays + parameters.keepUploadSessionsDays) *
			day +
			2 * hour) /
		(packageEveryRuns * minute);
	t.true(history.length <= keptSessions, `${history.length} sessions kept`);
	t.is(
		pruned.sessions + history.length,
		world.packagesWritten(),
		"every session accounted for",
	);

	let packagesLeft = 0;
	for (const folder of [world.downloadFolder, world.uploadFolder]) {
		for (const name of await listCompleteFiles(folder)) {
			t.not(sequenceOfFileName(name), null);
			const { mtimeMs } = await stat(join(folder, name));
			// The shared download folder is headquarters' to prune (cdx package prune), never the client's.
			if (folder === world.uploadFolder)
				t.true(mtimeMs >= end - parameters.keepPackagesDays * day - hour, name);
			packagesLeft += 1;
		}
	}
	t.is(pruned.packages + packagesLeft, world.packagesWritten());
	t.log(
		`retention removed ${pruned.sessions} sessions and ${pruned.packages} packages of ${world.packagesWritten()}; ${history.length} sessions and ${packagesLeft} packages kept`,
	);
});
