import { existsSync } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { runCdx } from "../helpers/cdx.js";
import {
	readState,
	readTable,
	runNow,
	startClient,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	assertDownloadNowApplies,
	startIdleClient,
	startRunningClient,
} from "../helpers/client-session.js";
import { createPackage, pathsOf } from "../helpers/client-setup.js";
import {
	clientSetupOn,
	type EngineUnderTest,
	testOnEachEngine,
} from "../helpers/engines.js";

/** One client per channel database, where it shows in the store: renames and an older client's files, on each engine of `on`. */
export function declareOneClientStoreTests(on: EngineUnderTest[]): void {
	testOnEachEngine(
		"renaming the channel database neither forks its store nor lets a second client in; the running client goes on",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			await createPackage(setup, { PRICES: [{ key: "A" }] });
			const { client: first } = await startIdleClient(t, setup);
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

			const again = await startRunningClient(t, setup, "STORE1B");
			t.deepEqual(
				Object.keys(await readTable(setup, "STORE1", "PRICES")),
				["A", "B"],
				"the same store",
			);
			t.is((await readState(setup, "STORE1"))?.channelDatabase, "STORE1B");
			t.is((await stopClient(again)).code, 0);
		},
		{ on },
	);

	testOnEachEngine(
		"files of an older client, named by the database's name, are taken over under the record id: nothing is applied twice",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			await createPackage(setup, { PRICES: [{ key: "A" }] });
			const { client: first } = await startIdleClient(t, setup);
			await stopClient(first);
			const paths = pathsOf(setup, "STORE1");
			const byName = {
				stateFile: join(paths.stateFolder, "STORE1.json"),
				sessionLog: join(paths.stateFolder, "STORE1.sessions.jsonl"),
				dataFolder: join(setup.root, "channels", "STORE1"),
			};
			for (const file of ["stateFile", "sessionLog", "dataFolder"] as const)
				await rename(paths[file], byName[file]);

			const again = await startRunningClient(t, setup);
			t.regex(
				again.stderr(),
				/named by record id now: .*STORE1\.json → .*\.json/,
			);
			t.false(existsSync(byName.stateFile));
			await createPackage(setup, { PRICES: [{ key: "B" }] });
			await assertDownloadNowApplies(t, setup, {
				packages: 1,
				holds: ["A", "B"],
			});
			t.is((await stopClient(again)).code, 0);
		},
		{ on },
	);
}
