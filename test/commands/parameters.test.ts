import test from "ava";
import { buildCdxIfMissing, type CdxRun, runCdx } from "../helpers/cdx.js";
import {
	assertOneLineError,
	assertSucceeded,
	assertUnchanged,
} from "../helpers/cli-assertions.js";
import { makeTempDatabase, readDatabase } from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

function parameters(db: string, ...args: string[]): CdxRun {
	return runCdx(["parameters", ...args, "--db", db]);
}

test("parameters show prints each parameter under its ERP label", async (t) => {
	const run = parameters(await makeTempDatabase(), "show");
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		[
			"Try count: 3",
			"Days to keep download session history: 30",
			"Days to keep upload session history: 30",
			"Days to keep data packages in the working folders: 14",
			"",
		].join("\n"),
	);
});

test("parameters show --json prints exactly the four parameters", async (t) => {
	const run = parameters(await makeTempDatabase(), "show", "--json");
	assertSucceeded(t, run);
	t.deepEqual(JSON.parse(run.stdout), {
		tryCount: 3,
		keepDownloadSessionsDays: 30,
		keepUploadSessionsDays: 30,
		keepPackagesDays: 14,
	});
});

test("a try count of 0 is saved and shown as retrying without limit", async (t) => {
	const db = await makeTempDatabase();
	const run = parameters(db, "set", "--try-count", "0");
	assertSucceeded(t, run);
	t.is(run.stdout, "Saved the Retail scheduler parameters\n");
	t.like((await readDatabase(db)).parameters, { tryCount: 0, version: 1 });
	t.true(
		parameters(db, "show").stdout.startsWith(
			"Try count: 0 (retry without limit)\n",
		),
	);
	t.is(JSON.parse(parameters(db, "show", "--json").stdout).tryCount, 0);
});

test("parameters set changes only what is given and bumps the version each time", async (t) => {
	const db = await makeTempDatabase();
	assertSucceeded(
		t,
		parameters(
			db,
			"set",
			"--keep-download-sessions-days",
			"90",
			"--keep-upload-sessions-days",
			"60",
		),
	);
	const run = parameters(db, "set", "--keep-packages-days", "7", "--json");
	assertSucceeded(t, run);
	t.deepEqual(JSON.parse(run.stdout), {
		tryCount: 3,
		keepDownloadSessionsDays: 90,
		keepUploadSessionsDays: 60,
		keepPackagesDays: 7,
	});
	t.is((await readDatabase(db)).parameters.version, 2);
});

test("a try count over 1000 exits 2 naming the field and changes nothing", async (t) => {
	const db = await makeTempDatabase();
	const run = await assertUnchanged(t, db, () =>
		parameters(db, "set", "--try-count", "1001"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Try count: must be a whole number from 0 to 1000 \(got "1001"\)\n$/,
	);
});

test("a negative try count exits 2 naming the field", async (t) => {
	const db = await makeTempDatabase();
	const run = await assertUnchanged(t, db, () =>
		parameters(db, "set", "--try-count=-1"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Try count: must be a whole number from 0 to 1000 \(got "-1"\)\n$/,
	);
});

test("keeping data packages for 0 days exits 2 naming the field", async (t) => {
	const db = await makeTempDatabase();
	const run = await assertUnchanged(t, db, () =>
		parameters(db, "set", "--keep-packages-days", "0"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Days to keep data packages in the working folders: must be a whole number from 1 to 3650 \(got "0"\)\n$/,
	);
});

test("an option of set given to show exits 2", async (t) => {
	const db = await makeTempDatabase();
	const run = await assertUnchanged(t, db, () =>
		parameters(db, "show", "--try-count", "5"),
	);
	assertOneLineError(t, run, 2, /^cdx: --try-count is for set only/);
});

test("an unknown parameters command exits 2 naming it", async (t) => {
	const db = await makeTempDatabase();
	const run = await assertUnchanged(t, db, () => parameters(db, "reset"));
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: unknown command "reset" for cdx parameters/,
	);
});
