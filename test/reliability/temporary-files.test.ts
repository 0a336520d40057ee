import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import { addProfileArgs, buildCdxIfMissing, spawnCdx } from "../helpers/cdx.js";
import { makeProfiles, makeTempDatabase } from "../helpers/database.js";
import { finished } from "../helpers/processes.js";

test.before(() => {
	buildCdxIfMissing();
});

test("a save removes the temporary file a killed writer left beside db.json, never one of a writer that still runs", async (t) => {
	const db = await makeTempDatabase(makeProfiles(1));
	// A finished process's pid stands for a killed writer; this test's own for a stopped one.
	const gone = spawnCdx(["--version"]);
	await finished(gone);
	const killed = join(dirname(db), `.db.json.${gone.pid}.0badc0de.tmp`);
	const live = join(dirname(db), `.db.json.${process.pid}.0badc0de.tmp`);
	await writeFile(killed, "half");
	await writeFile(live, "half");
	const added = spawnCdx(addProfileArgs(db, "NEXT"));
	t.is((await finished(added)).code, 0);
	t.false(existsSync(killed), "the killed writer's file is removed");
	t.true(existsSync(live), "the live writer's file is kept");
});
