import test from "ava";
import { buildCdxIfMissing, runCdx, runCdxAsync } from "../helpers/cdx.js";
import {
	makeProfile,
	makeTempDatabase,
	readDatabase,
} from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

const setters = 10;

test(`${setters} parallel cdx profile set calls on one profile all succeed, and the file holds the last one`, async (t) => {
	const db = await makeTempDatabase([
		makeProfile("STORES", { description: "kept" }),
	]);
	const runs = await Promise.all(
		Array.from({ length: setters }, (_, index) =>
			runCdxAsync([
				"profile",
				"set",
				"STORES",
				"--download",
				String(index + 1),
				"--db",
				db,
			]),
		),
	);
	for (const run of runs) t.is(run.stderr, "", "no set refused");
	t.deepEqual(
		runs.map((run) => run.status),
		Array(setters).fill(0),
	);
	const [stored] = (await readDatabase(db)).profiles;
	t.is(stored?.version, 1 + setters, "every set made one version");
	t.is(stored?.description, "kept", "a field no set named keeps its value");
	// The one saved last carries the highest version: its value is what the file holds.
	t.true(
		Number(stored?.downloadIntervalMinutes) >= 1 &&
			Number(stored?.downloadIntervalMinutes) <= setters,
	);
});

test("a set changes only the fields it names: a field another set changed meanwhile keeps that value", async (t) => {
	const db = await makeTempDatabase([makeProfile("STORES")]);
	const [description, interval] = await Promise.all([
		runCdxAsync([
			"profile",
			"set",
			"STORES",
			"--description",
			"from A",
			"--db",
			db,
		]),
		runCdxAsync(["profile", "set", "STORES", "--upload", "45", "--db", db]),
	]);
	t.is(description.status, 0, description.stderr);
	t.is(interval.status, 0, interval.stderr);
	const [stored] = (await readDatabase(db)).profiles;
	t.like(stored, { description: "from A", uploadIntervalMinutes: 45 });
});

test("parallel cdx parameters set calls of different parameters all land", async (t) => {
	const db = await makeTempDatabase([]);
	const runs = await Promise.all(
		[
			["--try-count", "7"],
			["--keep-download-sessions-days", "11"],
			["--keep-upload-sessions-days", "12"],
			["--keep-packages-days", "13"],
		].map((flag) => runCdxAsync(["parameters", "set", ...flag, "--db", db])),
	);
	for (const run of runs) t.is(run.status, 0, run.stderr);
	const shown = runCdx(["parameters", "show", "--json", "--db", db]);
	t.deepEqual(JSON.parse(shown.stdout), {
		tryCount: 7,
		keepDownloadSessionsDays: 11,
		keepUploadSessionsDays: 12,
		keepPackagesDays: 13,
	});
});
