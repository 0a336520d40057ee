import { readdir, symlink, unlink, utimes } from "node:fs/promises";
import { basename, join } from "node:path";
import test from "ava";
import {
	startClient,
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import { sqliteEngine } from "../helpers/engines.js";
import { declareLockRaceTests } from "./lock-races.suite.js";
import { declareOneClientStoreTests } from "./one-client-store.suite.js";

startsClientProcesses(test);

// The lock tests are the engine's no matter: the lock is a file beside the
// state. The tests that look at the store are one-client-store.suite.ts's,
// on SQLite here and on PostgreSQL in the slow suite (they start clients).
declareOneClientStoreTests([sqliteEngine]);
// Over and over in the slow suite (one-client-races.slow.test.ts).
declareLockRaceTests({ clientRounds: 1, lockRounds: 10 });

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
