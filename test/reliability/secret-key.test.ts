import { existsSync } from "node:fs";
import {
	chmod,
	mkdir,
	readdir,
	readFile,
	rm,
	stat,
	symlink,
	writeFile,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { decryptSecret, secretKeyPath } from "../../source/store/secrets.js";
import { buildCdxIfMissing, runCdx, runCdxAsync } from "../helpers/cdx.js";
import {
	assertOneLineError,
	assertSucceeded,
} from "../helpers/cli-assertions.js";
import {
	killLeftoverClients,
	startClient,
	stopClient,
	waitUntilIdle,
} from "../helpers/client-processes.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import {
	makeTempDatabasePath,
	makeTempFolder,
	readDatabase,
	seedChannelIntegration,
} from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

/**
 * A database with channel databases STORE-1 … STORE-`count` and no
 * secret.key yet, as before a first password.
 */
async function databaseWithoutKey(path?: string, count = 1): Promise<string> {
	const db = path ?? (await makeTempDatabasePath());
	const store = await ConfigurationStore.open(db);
	await seedChannelIntegration(store);
	for (let index = 2; index <= count; index += 1) {
		const saved = await store.save(channelDatabaseKind, {
			...channelDatabaseKind.emptyDraft(),
			name: `STORE-${index}`,
			dataGroup: "DG1",
			userName: `user${index}`,
			password: "seed",
			profile: "P1",
			channels: "S0001",
		});
		if (!saved.ok) throw new Error(`seed STORE-${index} refused`);
	}
	await rm(secretKeyPath(db));
	return db;
}

function setPassword(db: string, password: string, name = "STORE-1") {
	return runCdxAsync(["channel-db", "set", name, "--db", db], {
		env: { CDX_PASSWORD: password },
	});
}

async function storedPassword(db: string, name = "STORE-1"): Promise<string> {
	const database = (await readDatabase(db)).channelDatabases.find(
		(candidate) => candidate.name === name,
	);
	return decryptSecret(db, database?.passwordSecret ?? "");
}

test("one database reached through a symlinked db.json, a symlinked folder and its real path has one secret.key and one state folder", async (t) => {
	const root = await makeTempFolder();
	const real = join(root, "real", "db.json");
	await mkdir(dirname(real));
	await databaseWithoutKey(real);
	await mkdir(join(root, "other"));
	await symlink(real, join(root, "other", "db.json"));
	await symlink(dirname(real), join(root, "folder-link"));

	const viaLink = await setPassword(join(root, "other", "db.json"), "pass-A");
	t.is(viaLink.status, 0, viaLink.stderr);
	t.is(await storedPassword(real), "pass-A", "decrypts beside the real file");
	const viaFolder = await setPassword(
		join(root, "folder-link", "db.json"),
		"pass-B",
	);
	t.is(viaFolder.status, 0, viaFolder.stderr);
	t.is(await storedPassword(real), "pass-B");
	const run = runCdx([
		"client",
		"run-now",
		"STORE-1",
		"download",
		"--db",
		join(root, "other", "db.json"),
	]);
	t.is(run.status, 0, run.stderr);
	t.deepEqual(
		await readdir(join(root, "other")),
		["db.json"],
		"no key or state beside the link",
	);
	t.true(
		existsSync(join(dirname(real), "state")),
		"state beside the real file",
	);
	t.true(existsSync(join(dirname(real), "secret.key")));
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

test("an empty secret.key (a creation killed before it wrote) is refused with what to do, and the database is unchanged", async (t) => {
	const db = await databaseWithoutKey();
	await writeFile(secretKeyPath(db), "", { mode: 0o600 });
	const before = await readFile(db);
	const run = await setPassword(db, "pass");
	assertOneLineError(
		t,
		run,
		1,
		/secret\.key is empty: a save was interrupted while creating it, so no password was encrypted with it; remove it \(rm .*secret\.key\) and save the password again/,
	);
	t.deepEqual(await readFile(db), before);
	await rm(secretKeyPath(db));
	t.is((await setPassword(db, "pass")).status, 0, "saves once it is removed");
});

test("a secret.key of the wrong length says so and what to do", async (t) => {
	const db = await databaseWithoutKey();
	await writeFile(secretKeyPath(db), "0123456789", { mode: 0o600 });
	assertOneLineError(
		t,
		await setPassword(db, "pass"),
		1,
		/secret\.key: not a cdx-scheduler key \(10 bytes, expected 32\); restore it from a backup/,
	);
});

test("a secret.key other users can read is reported like db.json, with the fix", async (t) => {
	const db = await databaseWithoutKey();
	assertSucceeded(t, await setPassword(db, "pass"));
	await chmod(secretKeyPath(db), 0o644);
	const run = runCdx(["profile", "list", "--db", db]);
	t.is(run.status, 0);
	t.regex(
		run.stderr,
		/^cdx: warning: .*secret\.key can be read by other users \(mode 644\): fix it with chmod 600 .*secret\.key\n$/,
	);
});

test("a client makes its channel data folder private (0700), as its state folder", async (t) => {
	const setup = await makeClientSetup({ databases: ["STORE1"] });
	const client = startClient(setup, "STORE1");
	t.teardown(killLeftoverClients);
	await waitUntilIdle(setup, "STORE1", client);
	t.is((await stopClient(client)).code, 0);
	for (const folder of [
		join(setup.root, "state"),
		join(setup.root, "channels"),
		pathsOf(setup, "STORE1").dataFolder,
	])
		t.is((await stat(folder)).mode & 0o777, 0o700, folder);
});
