import { existsSync } from "node:fs";
import { join } from "node:path";
import test from "ava";
import { backupFolderName } from "../../source/client/channel-data/json-store-upgrade.js";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import {
	killLeftoverClients,
	runNow,
	startClient,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import { assertUpgraded, writeJsonStore } from "../helpers/json-store.js";
import { pause } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

test("kill -9 during the import, again and again: every row, watermark and the pending batch survive", async (t) => {
	t.timeout(120_000);
	const seed = Number(process.env.CDX_KILL_SEED ?? Date.now() % 1_000_000);
	t.log(`seed ${seed} (repeat with CDX_KILL_SEED=${seed})`);
	let state = seed;
	const random = () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
	const setup = await makeClientSetup();
	const itemCount = 40_000;
	await writeJsonStore(pathsOf(setup, "STORE1").dataFolder, itemCount);
	for (let round = 1; round <= 12; round += 1) {
		const client = startClient(setup, "STORE1");
		const ms = Math.floor(random() * 3000);
		await pause(ms);
		client.child.kill("SIGKILL");
		const { signal } = await client.exited;
		const moved = existsSync(
			join(
				pathsOf(setup, "STORE1").dataFolder,
				backupFolderName,
				"upload.json",
			),
		);
		t.log(
			`round ${round}: killed after ${ms} ms (${signal ?? "had exited"}), ${moved ? "after the import" : "before the old files moved"}`,
		);
	}
	const client = startClient(setup, "STORE1");
	await waitForState(
		setup,
		"STORE1",
		(seen) => seen.pid === client.child.pid,
		"the last client to start",
		60_000,
	);
	// A client killed late may have uploaded already: what counts is what is in the folder.
	const run = await runNow(setup, "STORE1", "upload");
	t.not(run.status, "Failed", run.message ?? "");
	t.is((await stopClient(client)).code, 0, client.stderr());
	await assertUpgraded(t, setup, itemCount);
});
