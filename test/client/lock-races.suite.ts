import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import test from "ava";
import {
	acquireClientLock,
	type LockOwner,
} from "../../source/client/process-lock.js";
import {
	startClient,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import { makeTempFolder } from "../helpers/database.js";

/** The pid of a process that has ended: the owner of a lock left by a kill -9. */
function deadPid(): number {
	const ended = spawnSync(process.execPath, ["-e", ""]);
	return ended.pid as number;
}

/**
 * Races for a dead client's lock: in the fast suite a round or a few of
 * each (one-client.test.ts), over and over in the slow one
 * (one-client-races.slow.test.ts). The caller starts client processes.
 */
export function declareLockRaceTests({
	clientRounds,
	lockRounds,
}: {
	clientRounds: number;
	lockRounds: number;
}): void {
	test(`two clients started at once over a dead client's lock: exactly one runs, ${clientRounds === 1 ? "in one round" : `in each of ${clientRounds} rounds`}`, async (t) => {
		const setup = await makeClientSetup();
		const { lockFile, stateFolder } = pathsOf(setup, "STORE1");
		await mkdir(stateFolder, { recursive: true });
		for (let round = 1; round <= clientRounds; round += 1) {
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
			t.is(
				(await refused.exited).code,
				1,
				`round ${round}: ${refused.stderr()}`,
			);
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

	test(`taking over a dead process's lock is atomic: of six starters racing, exactly one wins, in each of ${lockRounds} rounds`, async (t) => {
		const folder = await makeTempFolder();
		const lockFile = join(folder, "record.lock");
		const dead = { pid: deadPid(), host: hostname(), startedAt: "dead" };
		for (let round = 0; round < lockRounds; round += 1) {
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
}
