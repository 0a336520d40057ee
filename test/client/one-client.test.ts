import { spawnSync } from "node:child_process";
import {
	mkdir,
	mkdtemp,
	readdir,
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
import {
	startClient,
	startsClientProcesses,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import { sqliteEngine } from "../helpers/engines.js";
import { declareOneClientStoreTests } from "./one-client-store.suite.js";

startsClientProcesses(test);

// The lock tests are the engine's no matter: the lock is a file beside the
// state. The tests that look at the store are one-client-store.suite.ts's,
// on SQLite here and on PostgreSQL in the slow suite (they start clients).
declareOneClientStoreTests([sqliteEngine]);

/** The pid of a process that has ended: the owner of a lock left by a kill -9. */
function deadPid(): number {
	const ended = spawnSync(process.execPath, ["-e", ""]);
	return ended.pid as number;
}

test("a live client silent for an hour (SIGSTOP) keeps its lock: a second client is refused", async (t) => {
	const setup = await makeClientSetup();
	const { client: first } = await startIdleClient(t, setup);
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

test("the same db.json through a symlinked folder and through its real path: one client, the second refused", async (t) => {
	const setup = await makeClientSetup();
	const linked = join(setup.root, "..", `${basename(setup.root)}-link`);
	await symlink(setup.root, linked);
	t.teardown(() => unlink(linked).catch(() => {}));
	const { client: first } = await startIdleClient(t, setup);
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
