import { readdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import test from "ava";
import { secretKeyPath } from "../../source/store/secrets.js";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import {
	databaseWithoutKey,
	setPassword,
	storedPassword,
} from "../helpers/channel-passwords.js";

test.before(() => {
	buildCdxIfMissing();
});

const trials = 8;
const savers = 6;

test(`${savers} concurrent first password saves on a new database, ${trials} times: every save lands with one whole key`, async (t) => {
	let saves = 0;
	for (let trial = 0; trial < trials; trial += 1) {
		const db = await databaseWithoutKey(undefined, savers);
		const runs = await Promise.all(
			Array.from({ length: savers }, (_, index) =>
				setPassword(db, `pass-${trial}-${index}`, `STORE-${index + 1}`),
			),
		);
		for (const run of runs)
			t.is(run.status, 0, `trial ${trial}: ${run.stderr}`);
		saves += runs.filter((run) => run.status === 0).length;
		t.is((await readFile(secretKeyPath(db))).length, 32, "a whole key");
		for (let index = 0; index < savers; index += 1)
			t.is(
				await storedPassword(db, `STORE-${index + 1}`),
				`pass-${trial}-${index}`,
			);
		t.deepEqual(
			(await readdir(dirname(db))).sort(),
			["db.json", "secret.key"],
			"no temporary key left",
		);
	}
	t.log(
		`${trials} trials × ${savers} first saves of different channel databases: ${saves} landed, each password decrypts with the one key`,
	);
});
