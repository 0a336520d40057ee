import { readFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import { runUploadCycle } from "../../source/client/upload-cycle.js";
import { packageFileName } from "../../source/domain/package-format.js";
import {
	downloadContext,
	makeClientSetup,
	pathsOf,
	uploadFolder,
} from "../helpers/client-setup.js";
import { assertUpgraded, writeJsonStore } from "../helpers/json-store.js";

test("a JSON data store is imported on first start: tables, watermarks and the pending upload batch, the old files kept", async (t) => {
	const setup = await makeClientSetup();
	const dataFolder = pathsOf(setup, "STORE1").dataFolder;
	await writeJsonStore(dataFolder);
	const logged: string[] = [];
	const store = new ChannelDataStore(dataFolder);
	await store.prepare((line) => logged.push(line));
	t.regex(
		logged.join("\n"),
		/2 tables, 5 rows, upload package 3 still to finish; kept as text.*PRICES\.note/,
	);
	const context = await downloadContext(setup, "STORE1", dataFolder, { store });
	t.like(
		await runUploadCycle({ ...context, folder: uploadFolder(setup, "STORE1") }),
		{ status: "Succeeded", packages: 2, rows: 3 },
	);
	await store.close();
	await assertUpgraded(t, setup, 3);
});

test("a pending package already written before the upgrade is not written again", async (t) => {
	const setup = await makeClientSetup();
	const dataFolder = pathsOf(setup, "STORE1").dataFolder;
	await writeJsonStore(dataFolder);
	// The old client wrote package 3 and was killed before its watermark moved: finish it first, as it was.
	const first = new ChannelDataStore(dataFolder);
	await first.prepare();
	const context = await downloadContext(setup, "STORE1", dataFolder, {
		store: first,
	});
	const upload = { ...context, folder: uploadFolder(setup, "STORE1") };
	const killed = await runUploadCycle({
		...upload,
		checkpoint: (step) => {
			if (step === "package-written") throw new Error("killed");
		},
	});
	t.like(killed, { status: "Failed" });
	const file = join(uploadFolder(setup, "STORE1"), packageFileName(3));
	const written = await readFile(file, "utf8");
	await runUploadCycle(upload);
	t.is(await readFile(file, "utf8"), written);
	await first.close();
	await assertUpgraded(t, setup, 3);
});
