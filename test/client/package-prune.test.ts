import { access, readdir, readFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { packageFileName } from "../../source/domain/package-format.js";
import { runCdx } from "../helpers/cdx.js";
import {
	startClient,
	startsClientProcesses,
	stopClient,
	waitUntilIdle,
} from "../helpers/client-processes.js";
import { assertDownloadApplied } from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	groupFolder,
	makeClientSetup,
	uploadFolder,
} from "../helpers/client-setup.js";
import { waitUntil } from "../helpers/wait.js";

startsClientProcesses(test);

const dayMs = 24 * 60 * 60 * 1000;

async function runClientOnce(setup: ClientSetup, database: string) {
	const client = startClient(setup, database);
	const state = await waitUntilIdle(setup, database, client);
	await stopClient(client);
	return state;
}

async function age(setup: ClientSetup, sequences: number[], days: number) {
	const then = new Date(Date.now() - days * dayMs);
	for (const sequence of sequences)
		await utimes(
			join(groupFolder(setup), packageFileName(sequence)),
			then,
			then,
		);
}

const packagesLeft = async (setup: ClientSetup) =>
	(await readdir(groupFolder(setup))).filter((name) =>
		name.endsWith(".package.json"),
	);

test("a client never deletes old packages of the shared download folder: a database that was offline still gets them", async (t) => {
	const setup = await makeClientSetup({ databases: ["STORE1", "STORE2"] });
	await createPackage(setup, { PRICES: [{ key: "A" }] });
	await createPackage(setup, { PRICES: [{ key: "B" }] });
	t.like((await runClientOnce(setup, "STORE1")).lastDownload, { packages: 2 });
	await age(setup, [1, 2], 30);
	// STORE1's client starts again: its retention runs as it starts.
	const again = startClient(setup, "STORE1");
	await waitUntil(
		() => /started \(pid/.test(again.stderr()),
		"the client to start",
	);
	await stopClient(again);
	t.deepEqual(await packagesLeft(setup), [
		packageFileName(1),
		packageFileName(2),
	]);

	const offline = await runClientOnce(setup, "STORE2");
	await assertDownloadApplied(t, setup, offline.lastDownload, {
		packages: 2,
		holds: ["A", "B"],
		database: "STORE2",
	});
});

test("each client publishes progress.json; cdx package prune deletes only old packages every database applied and names the ones holding back the rest", async (t) => {
	const setup = await makeClientSetup({ databases: ["STORE1", "STORE2"] });
	await createPackage(setup, { PRICES: [{ key: "A" }] });
	await createPackage(setup, { PRICES: [{ key: "B" }] });
	await runClientOnce(setup, "STORE1");
	const progressText = await readFile(
		join(uploadFolder(setup, "STORE1"), "progress.json"),
		"utf8",
	);
	const progress = JSON.parse(progressText);
	t.like(progress, {
		formatVersion: 1,
		channelDatabase: "STORE1",
		groups: { "GROUP-A": { sequence: 2 } },
	});
	t.notRegex(progressText, /secret|password|user-/i, "no secrets");
	await age(setup, [1, 2], 30);

	const prune = (...extra: string[]) =>
		runCdx([
			"package",
			"prune",
			"--data-group",
			"GROUP-A",
			...extra,
			"--db",
			setup.db,
		]);
	const held = prune();
	t.is(held.status, 0, held.stderr);
	t.regex(held.stdout, /^Deleted 0 packages older than 14 days/m);
	t.regex(
		held.stdout,
		/Kept 2 older packages not yet applied by every channel database of the group: .*; held back by STORE2 \(no progress\.json yet/,
	);
	t.notRegex(held.stdout, /held back by .*STORE1/);
	t.is((await packagesLeft(setup)).length, 2);

	await runClientOnce(setup, "STORE2");
	await createPackage(setup, { PRICES: [{ key: "C" }] });
	const dry = prune("--dry-run");
	t.is(dry.status, 0, dry.stderr);
	t.regex(
		dry.stdout,
		new RegExp(
			`^Would delete 2 packages older than 14 days from .*: ${packageFileName(1)}, ${packageFileName(2)}`,
			"m",
		),
	);
	t.regex(dry.stdout, /Kept 1 package younger than 14 days/);
	t.is((await packagesLeft(setup)).length, 3, "a dry run deletes nothing");

	const done = prune();
	t.regex(done.stdout, /^Deleted 2 packages/m);
	t.deepEqual(await packagesLeft(setup), [packageFileName(3)]);
	await access(join(groupFolder(setup), packageFileName(3)));
});

test("cdx package prune refuses an unknown data group with one line and exit 2", (t) => {
	return makeClientSetup().then((setup) => {
		const run = runCdx([
			"package",
			"prune",
			"--data-group",
			"NOPE",
			"--db",
			setup.db,
		]);
		t.is(run.status, 2);
		t.regex(run.stderr, /^cdx: Channel data group "NOPE" does not exist/);
		t.is(run.stderr.trim().split("\n").length, 1);
	});
});
