import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import {
	mkdir,
	mkdtemp,
	readdir,
	rename,
	symlink,
	unlink,
	utimes,
	writeFile,
} from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import test from "ava";
import {
	acquireClientLock,
	type LockOwner,
} from "../../source/client/process-lock.js";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import {
	killLeftoverClients,
	readState,
	readTable,
	runNow,
	startClient,
	stopClient,
	waitForState,
	waitUntilIdle,
} from "../helpers/client-processes.js";
import {
	createPackage,
	makeClientSetup,
	pathsOf,
} from "../helpers/client-setup.js";
import { clientSetupOn, testOnEachEngine } from "../helpers/engines.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

// The lock tests are the engine's no matter: the lock is a file beside the
// state. The tests that look at the store run on each engine.

/** The pid of a process that has ended: the owner of a lock left by a kill -9. */
function deadPid(): number {
	const ended = spawnSync(process.execPath, ["-e", ""]);
	return ended.pid as number;
}

test("a live client silent for an hour (SIGSTOP) keeps its lock: a second client is refused", async (t) => {
	const setup = await makeClientSetup();
	const first = startClient(setup, "STORE1");
	await waitUntilIdle(setup, "STORE1", first);
	first.child.kill("SIGSTOP");
	t.teardown(() => first.child.kill("SIGCONT"));
	const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
	await utimes(pathsOf(setup, "STORE1").lockFile, anHourAgo, anHourAgo);
	const second = startClient(setup, "STORE1");
	t.is((await second.exited).code, 1);
	t.regex(
		second.stderr(),
		new RegExp(
			`another cdx client is already running for channel database "STORE1" \\(pid ${first.child.pid} `,
		),
	);
	first.child.kill("SIGCONT");
	t.is((await stopClient(first)).code, 0);
});

test("two clients started at once over a dead client's lock: exactly one runs, every time", async (t) => {
	const setup = await makeClientSetup();
	const { lockFile, stateFolder } = pathsOf(setup, "STORE1");
	await mkdir(stateFolder, { recursive: true });
	for (let round = 1; round <= 5; round += 1) {
		const dead: LockOwner = {
			pid: deadPid(),
			host: hostname(),
			startedAt: new Date().toISOString(),
		};
		await writeFile(lockFile, `${JSON.stringify(dead)}\n`);
		const starters = [
			startClient(setup, "STORE1"),
			startClient(setup, "STORE1"),
		];
		const refused = await Promise.race(
			starters.map((starter) => starter.exited.then(() => starter)),
		);
		t.is((await refused.exited).code, 1, `round ${round}: ${refused.stderr()}`);
		t.regex(refused.stderr(), /another cdx client is already running/);
		const runner = starters.find((starter) => starter !== refused);
		if (runner === undefined) throw new Error("no second starter");
		await waitForState(
			setup,
			"STORE1",
			(state) => state.pid === runner.child.pid,
			`round ${round}: the other client running`,
		);
		t.is((await stopClient(runner)).code, 0, `round ${round}`);
	}
});

test("taking over a dead process's lock is atomic: of six starters racing, exactly one wins, 100 times over", async (t) => {
	const folder = await mkdtemp(join(tmpdir(), "cdx-lock-"));
	const lockFile = join(folder, "record.lock");
	const dead = { pid: deadPid(), host: hostname(), startedAt: "dead" };
	for (let round = 0; round < 100; round += 1) {
		await writeFile(lockFile, `${JSON.stringify(dead)}\n`);
		const outcomes = await Promise.all(
			Array.from({ length: 6 }, (_, index) =>
				acquireClientLock(lockFile, {
					pid: process.pid,
					host: hostname(),
					startedAt: `starter ${index}`,
				}),
			),
		);
		const winners = outcomes.filter((outcome) => outcome.ok);
		if (winners.length !== 1)
			t.fail(`round ${round}: ${winners.length} winners`);
		for (const winner of winners) if (winner.ok) await winner.lock.release();
	}
	t.pass();
});

testOnEachEngine(
	"renaming the channel database neither forks its store nor lets a second client in; the running client goes on",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t);
		await createPackage(setup, { PRICES: [{ key: "A" }] });
		const first = startClient(setup, "STORE1");
		await waitUntilIdle(setup, "STORE1", first);
		const renamed = runCdx([
			"channel-db",
			"set",
			"STORE1",
			"--name",
			"STORE1B",
			"--db",
			setup.db,
		]);
		t.is(renamed.status, 0, renamed.stderr);

		const second = startClient(setup, "STORE1B");
		t.is((await second.exited).code, 1);
		t.regex(
			second.stderr(),
			/another cdx client is already running for channel database "STORE1B"/,
		);

		await waitForState(
			setup,
			"STORE1",
			(state) =>
				state.channelDatabase === "STORE1B" || state.pid === first.child.pid,
			"the first client's state",
		);
		// Headquarters signs for the database's new name.
		await setup.store.reload();
		await createPackage(setup, { PRICES: [{ key: "B" }] });
		const run = await runNow(setup, "STORE1", "download");
		t.like(run, { status: "Succeeded", packages: 1 }, run.message ?? "");
		t.is((await stopClient(first)).code, 0);

		const again = startClient(setup, "STORE1B");
		await waitForState(
			setup,
			"STORE1",
			(state) => state.pid === again.child.pid,
			"the client under the new name",
		);
		t.deepEqual(
			Object.keys(await readTable(setup, "STORE1", "PRICES")),
			["A", "B"],
			"the same store",
		);
		t.is((await readState(setup, "STORE1"))?.channelDatabase, "STORE1B");
		t.is((await stopClient(again)).code, 0);
	},
);

testOnEachEngine(
	"files of an older client, named by the database's name, are taken over under the record id: nothing is applied twice",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t);
		await createPackage(setup, { PRICES: [{ key: "A" }] });
		const first = startClient(setup, "STORE1");
		await waitUntilIdle(setup, "STORE1", first);
		await stopClient(first);
		const paths = pathsOf(setup, "STORE1");
		const byName = {
			stateFile: join(paths.stateFolder, "STORE1.json"),
			sessionLog: join(paths.stateFolder, "STORE1.sessions.jsonl"),
			dataFolder: join(setup.root, "channels", "STORE1"),
		};
		for (const file of ["stateFile", "sessionLog", "dataFolder"] as const)
			await rename(paths[file], byName[file]);

		const again = startClient(setup, "STORE1");
		await waitForState(
			setup,
			"STORE1",
			(state) => state.pid === again.child.pid,
			"the client under the record id",
		);
		t.regex(
			again.stderr(),
			/named by record id now: .*STORE1\.json → .*\.json/,
		);
		t.false(existsSync(byName.stateFile));
		await createPackage(setup, { PRICES: [{ key: "B" }] });
		t.like(await runNow(setup, "STORE1", "download"), {
			status: "Succeeded",
			packages: 1,
		});
		t.deepEqual(Object.keys(await readTable(setup, "STORE1", "PRICES")), [
			"A",
			"B",
		]);
		t.is((await stopClient(again)).code, 0);
	},
);

test("the same db.json through a symlinked folder and through its real path: one client, the second refused", async (t) => {
	const setup = await makeClientSetup();
	const linked = join(setup.root, "..", `${basename(setup.root)}-link`);
	await symlink(setup.root, linked);
	t.teardown(() => unlink(linked).catch(() => {}));
	const first = startClient(setup, "STORE1");
	await waitUntilIdle(setup, "STORE1", first);
	const second = startClient(
		{ ...setup, db: join(linked, "db.json") },
		"STORE1",
	);
	t.is((await second.exited).code, 1);
	t.regex(
		second.stderr(),
		/another cdx client is already running for channel database "STORE1"/,
	);
	t.deepEqual(
		(await readdir(join(setup.root, "state"))).filter((name) =>
			name.endsWith(".lock"),
		),
		[`${pathsOf(setup, "STORE1").fileKey}.lock`],
	);
	t.is((await stopClient(first)).code, 0);
});
