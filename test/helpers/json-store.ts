import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { backupFolderName } from "../../source/client/channel-data/json-store-upgrade.js";
import { appliedSequence, readStoreTable } from "./channel-rows.js";
import { type ClientSetup, pathsOf } from "./client-setup.js";
import { uploadedPackages } from "./uploaded-packages.js";

/**
 * A data folder as the JSON data store left it: PRICES (one column of mixed
 * number and text values), ITEMS with `itemCount` rows, watermark 4 for
 * GROUP-A, upload watermark 2 with package 3 pending (its first outbox file
 * already in sent/, its second still in the outbox), and a newer outbox file.
 */
export async function writeJsonStore(dataFolder: string, itemCount = 3) {
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

/** What must be true after the upgrade and one upload, however it got there. */
export async function assertUpgraded(
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
	const packages = await uploadedPackages(setup);
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
