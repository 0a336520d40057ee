import { existsSync } from "node:fs";
import { join } from "node:path";
import test from "ava";
import { backupFolderName } from "../../source/client/channel-data/json-store-upgrade.js";
import {
	startClient,
	startsClientProcesses,
} from "../helpers/client-processes.js";
import { assertRecoversAfterKills } from "../helpers/client-session.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";
import { assertUpgraded, writeJsonStore } from "../helpers/json-store.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { pause } from "../helpers/wait.js";

startsClientProcesses(test);

test("kill -9 during the import, again and again: every row, watermark and the pending batch survive", async (t) => {
	t.timeout(120_000);
	const random = seededRandom(t);
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
	// A client killed late may have uploaded already: what counts is what is in the folder.
	await assertRecoversAfterKills(t, setup, ["upload"], 60_000);
	await assertUpgraded(t, setup, itemCount);
});
