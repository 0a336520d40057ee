import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { backupFolderName } from "../../source/client/channel-data/json-store-upgrade.js";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import { runUploadCycle } from "../../source/client/upload-cycle.js";
import {
	type DataPackage,
	packageFileName,
	parsePackage,
} from "../../source/domain/package-format.js";
import { buildCdxIfMissing } from "../helpers/cdx.js";
import { appliedSequence, readStoreTable } from "../helpers/channel-rows.js";
import {
	killLeftoverClients,
	runNow,
	startClient,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	type ClientSetup,
	downloadContext,
	makeClientSetup,
	pathsOf,
	uploadFolder,
} from "../helpers/client-setup.js";
import { pause } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});
test.after.always(killLeftoverClients);

/**
 * A data folder as the JSON data store left it: PRICES (one column of mixed
 * number and text values), ITEMS with `itemCount` rows, watermark 4 for
 * GROUP-A, upload watermark 2 with package 3 pending (its first outbox file
 * already in sent/, its second still in the outbox), and a newer outbox file.
 */
async function writeJsonStore(dataFolder: string, itemCount = 3) {
	await mkdir(join(dataFolder, "tables"), { recursive: true });
	await mkdir(join(dataFolder, "outbox", "sent"), { recursive: true });
	const json = (value: unknown) => `${JSON.stringify(value, null, "\t")}\n`;
	await writeFile(
		join(dataFolder, "tables", "PRICES.json"),
		json({
			A: { key: "A", price: 1.5, note: "text" },
			B: { key: "B", price: 2, note: 7 },
		}),
	);
	const items: Record<string, unknown> = {};
	for (let index = 1; index <= itemCount; index += 1)
		items[`I${index}`] = { key: `I${index}`, round: index };
	await writeFile(join(dataFolder, "tables", "ITEMS.json"), json(items));
	await writeFile(
		join(dataFolder, "applied.json"),
		json({
			formatVersion: 1,
			groups: {
				"GROUP-A": {
					sequence: 4,
					appliedAt: "2026-11-30T10:00:00.000Z",
					generation: 0,
					attempts: {},
					setAside: {},
				},
			},
			lastFullSyncAt: null,
		}),
	);
	await writeFile(
		join(dataFolder, "upload.json"),
		json({
			formatVersion: 1,
			lastSequence: 2,
			pending: {
				sequence: 3,
				createdAt: "2026-11-30T11:00:00.000Z",
				dataGroup: "GROUP-A",
				sources: ["0005.json", "0006.json"],
			},
		}),
	);
	await writeFile(
		join(dataFolder, "outbox", "sent", "0005.json"),
		JSON.stringify({ tables: { SALES: [{ key: "s5", amount: 5 }] } }),
	);
	await writeFile(
		join(dataFolder, "outbox", "0006.json"),
		JSON.stringify({ tables: { SALES: [{ key: "s6", amount: 6 }] } }),
	);
	await writeFile(
		join(dataFolder, "outbox", "0007.json"),
		JSON.stringify({ tables: { SALES: [{ key: "s7", amount: 7 }] } }),
	);
}

async function uploaded(setup: ClientSetup): Promise<DataPackage[]> {
	const folder = uploadFolder(setup, "STORE1");
	const packages: DataPackage[] = [];
	for (const name of (await readdir(folder)).filter((file) =>
		file.endsWith(".package.json"),
	)) {
		const parsed = parsePackage(await readFile(join(folder, name), "utf8"));
		if (!parsed.ok) throw new Error(parsed.problem);
		packages.push(parsed.package);
	}
	return packages.sort((a, b) => a.sequence - b.sequence);
}

/** What must be true after the upgrade and one upload, however it got there. */
async function assertUpgraded(
	t: ExecutionContext,
	setup: ClientSetup,
	itemCount: number,
) {
	const dataFolder = pathsOf(setup, "STORE1").dataFolder;
	t.deepEqual(await readStoreTable(dataFolder, "PRICES"), {
		A: { key: "A", price: 1.5, note: "text" },
		B: { key: "B", price: 2, note: "7" },
	});
	const items = await readStoreTable(dataFolder, "ITEMS");
	t.is(Object.keys(items).length, itemCount);
	t.deepEqual(items[`I${itemCount}`], {
		key: `I${itemCount}`,
		round: itemCount,
	});
	t.is(await appliedSequence(dataFolder, "GROUP-A"), 4);
	const packages = await uploaded(setup);
	t.deepEqual(
		packages.map((pkg) => [pkg.sequence, pkg.sources]),
		[
			[3, ["0005.json", "0006.json"]],
			[4, ["0007.json"]],
		],
	);
	t.deepEqual(
		packages.map((pkg) => pkg.tables.SALES?.map((row) => row.key)),
		[["s5", "s6"], ["s7"]],
	);
	t.is(packages[0]?.createdAt, "2026-11-30T11:00:00.000Z");
	t.deepEqual((await readdir(join(dataFolder, "outbox", "sent"))).sort(), [
		"0005.json",
		"0006.json",
		"0007.json",
	]);
	t.deepEqual((await readdir(join(dataFolder, backupFolderName))).sort(), [
		"applied.json",
		"tables",
		"upload.json",
	]);
}

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
