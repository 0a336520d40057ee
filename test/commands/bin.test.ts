import { readFile, writeFile } from "node:fs/promises";
import test from "ava";
import packageJson from "../../package.json" with { type: "json" };
import { decryptSecret } from "../../source/store/secrets.js";
import {
	addProfileArgs,
	buildCdxIfMissing,
	runCdxBin,
} from "../helpers/cdx.js";
import { makeChannelIntegration } from "../helpers/channel-integration.js";
import {
	assertOneLineError,
	assertSucceeded,
} from "../helpers/cli-assertions.js";
import { makeTempDatabasePath, readDatabase } from "../helpers/database.js";

// Every other CLI test runs the commands in-process (runCdx); these few run
// the bundled bin as operators do, so a difference between the two shows.

test.before(() => {
	buildCdxIfMissing();
});

test("the bin prints its version", (t) => {
	const run = runCdxBin(["--version"]);
	assertSucceeded(t, run);
	t.is(run.stdout, `${packageJson.version}\n`);
});

test("the bin adds a profile and lists it as JSON", async (t) => {
	const db = await makeTempDatabasePath();
	assertSucceeded(t, runCdxBin(addProfileArgs(db, "FLAGSHIP")));
	const list = runCdxBin(["profile", "list", "--json", "--db", db]);
	assertSucceeded(t, list);
	t.like(JSON.parse(list.stdout), [
		{ name: "FLAGSHIP", downloadIntervalMinutes: 5, uploadIntervalMinutes: 10 },
	]);
});

test("the bin exits 2 with one line for a bad argument and 1 for a corrupt database", async (t) => {
	const db = await makeTempDatabasePath();
	assertOneLineError(
		t,
		runCdxBin(["profile", "add", "X", "--download", "0", "--db", db]),
		2,
		/^cdx: .*Data download interval in minutes/,
	);
	await writeFile(db, "{ not json");
	assertOneLineError(
		t,
		runCdxBin(["profile", "list", "--db", db]),
		1,
		/^cdx: .*db\.json/,
	);
	t.is(await readFile(db, "utf8"), "{ not json");
});

test("the bin reads a password from stdin and stores it encrypted", async (t) => {
	const { db } = await makeChannelIntegration();
	const password = "from the bin's stdin";
	const run = runCdxBin(
		["channel-db", "set", "STORE-1", "--password-stdin", "--db", db],
		{ input: `${password}\n` },
	);
	assertSucceeded(t, run);
	const database = (await readDatabase(db)).channelDatabases[0];
	if (!database) throw new Error("no channel database");
	t.is(await decryptSecret(db, database.passwordSecret), password);
	t.false((await readFile(db, "utf8")).includes(password));
});
