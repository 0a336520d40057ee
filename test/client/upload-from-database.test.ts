import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import { runDownloadCycle } from "../../source/client/download-cycle.js";
import { SessionLog } from "../../source/client/session-log.js";
import { signingKeyFor } from "../../source/client/signing-keys.js";
import {
	runUploadCycle,
	type UploadContext,
} from "../../source/client/upload-cycle.js";
import {
	type DataPackage,
	parsePackage,
} from "../../source/domain/package-format.js";
import {
	type ClientSetup,
	createPackage,
	downloadContext,
	makeClientSetup,
	pathsOf,
	uploadFolder,
} from "../helpers/client-setup.js";
import { openPos, salesTable, writeSale } from "../helpers/pos.js";

async function uploadContext(
	t: { teardown: (fn: () => Promise<void>) => void },
	setup: ClientSetup,
	overrides: Partial<UploadContext> = {},
): Promise<UploadContext> {
	const record = setup.store.getSnapshot().configuration.channelDatabases[0];
	if (!record) throw new Error("no channel database");
	const store = new ChannelDataStore(pathsOf(setup, "STORE1").dataFolder);
	await store.prepare();
	t.teardown(() => store.close());
	return {
		store,
		sessions: await SessionLog.open(join(setup.root, "STORE1.sessions.jsonl")),
		channelDatabase: "STORE1",
		key: await signingKeyFor(setup.db, record),
		now: () => new Date(),
		log: () => {},
		progress: () => {},
		signal: new AbortController().signal,
		dataGroup: setup.group,
		folder: uploadFolder(setup, "STORE1"),
		...overrides,
	};
}

async function packages(setup: ClientSetup): Promise<DataPackage[]> {
	const folder = uploadFolder(setup, "STORE1");
	const found: DataPackage[] = [];
	for (const name of (await readdir(folder).catch(() => [])).sort()) {
		const parsed = parsePackage(await readFile(join(folder, name), "utf8"));
		if (parsed.ok) found.push(parsed.package);
	}
	return found;
}

test("rows a POS writes with SQL upload once; a row it changes again uploads again; tables without the counter never do", async (t) => {
	const setup = await makeClientSetup();
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	const download = await downloadContext(setup);
	await runDownloadCycle(download);
	await download.store.close();
	const pos = openPos(pathsOf(setup, "STORE1").dataFolder);
	t.teardown(() => pos.close());
	pos.exec(salesTable);
	writeSale(pos, "s1", 10);
	writeSale(pos, "s2", 20.5);
	writeSale(pos, "s3", 30);
	const context = await uploadContext(t, setup);
	t.like(await runUploadCycle(context), { status: "Succeeded", rows: 3 });
	t.like(await runUploadCycle(context), { status: "No data" });
	writeSale(pos, "s2", 22);
	t.like(await runUploadCycle(context), { status: "Succeeded", rows: 1 });
	const uploaded = await packages(setup);
	t.deepEqual(
		uploaded.map((pkg) => Object.keys(pkg.tables)),
		[["SALES"], ["SALES"]],
	);
	t.deepEqual(uploaded[0]?.tables.SALES, [
		{ key: "s1", amount: 10, REPLICATIONCOUNTERFROMORIGIN: 1 },
		{ key: "s2", amount: 20.5, REPLICATIONCOUNTERFROMORIGIN: 2 },
		{ key: "s3", amount: 30, REPLICATIONCOUNTERFROMORIGIN: 3 },
	]);
	t.deepEqual(uploaded[1]?.tables.SALES, [
		{ key: "s2", amount: 22, REPLICATIONCOUNTERFROMORIGIN: 4 },
	]);
	t.deepEqual(uploaded[0]?.schemas?.SALES, {
		key: ["key"],
		columns: {
			key: "text",
			amount: "decimal",
			REPLICATIONCOUNTERFROMORIGIN: "integer",
		},
	});
});

test("rows that share a counter value always go in the same package", async (t) => {
	const setup = await makeClientSetup();
	const context = await uploadContext(t, setup, { maxRowsPerPackage: 3 });
	const pos = openPos(pathsOf(setup, "STORE1").dataFolder);
	t.teardown(() => pos.close());
	pos.exec(salesTable);
	const insert = pos.prepare(
		"INSERT INTO SALES (key, amount, REPLICATIONCOUNTERFROMORIGIN) VALUES (?, 1, ?)",
	);
	for (const [key, counter] of [
		["a", 1],
		["b", 1],
		["c", 2],
		["d", 2],
		["e", 2],
		["f", 2],
		["g", 3],
	] as const)
		insert.run(key, counter);
	t.like(await runUploadCycle(context), { status: "Succeeded", packages: 3 });
	t.deepEqual(
		(await packages(setup)).map((pkg) =>
			pkg.tables.SALES?.map((row) => row.key).join(""),
		),
		["ab", "cdef", "g"],
	);
});
