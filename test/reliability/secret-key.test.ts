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
import { secretKeyPath } from "../../source/store/secrets.js";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import {
	databaseWithoutKey,
	setPassword,
	storedPassword,
} from "../helpers/channel-passwords.js";
import {
	assertOneLineError,
	assertSucceeded,
} from "../helpers/cli-assertions.js";
import { stopClient } from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import { makeTempFolder } from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

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
	const { client } = await startIdleClient(t, setup);
	t.is((await stopClient(client)).code, 0);
	for (const folder of [
		join(setup.root, "state"),
		join(setup.root, "channels"),
		pathsOf(setup, "STORE1").dataFolder,
	])
		t.is((await stat(folder)).mode & 0o777, 0o700, folder);
});
