import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import type { PackageRow } from "../../source/domain/package-format.js";
import { makeTempFolder } from "../helpers/database.js";
import {
	fillUp,
	mountTmpfs,
	testNeeding,
	tmpfsUnavailable,
} from "../helpers/mounts.js";

async function makeStore(root?: string): Promise<ChannelDataStore> {
	const store = new ChannelDataStore(root ?? (await makeTempFolder()));
	await store.prepare();
	return store;
}

const tableFile = (store: ChannelDataStore, name: string) =>
	join(store.tablesFolder, `${name}.json`);

const prices = (...rows: PackageRow[]) => ({ PRICES: rows });

/** The text the store wrote before it kept tables in memory: an object, stringified with tabs. */
const stringified = (rows: Record<string, unknown>) =>
	`${JSON.stringify(rows, null, "\t")}\n`;

test("a table file is written as JSON.stringify with tabs writes the object of its rows", async (t) => {
	const store = await makeStore();
	const tricky = {
		key: "__proto__",
		text: 'a "quoted"\nline\tand ünïcode',
		nested: { list: [1, { deep: [] }, "x"], empty: {} },
		none: null,
	};
	await store.applyTables(
		prices({ key: "A", price: 1 }, tricky, { key: 'B"\n', price: 2 }),
	);
	await store.applyTables(prices({ key: "A", price: 3 }, { key: "C" }));
	// Object.fromEntries makes "__proto__" a row, as the store's Map did.
	const expected = Object.fromEntries([
		["A", { key: "A", price: 3 }],
		["__proto__", tricky],
		['B"\n', { key: 'B"\n', price: 2 }],
		["C", { key: "C" }],
	]);
	t.is(
		await readFile(tableFile(store, "PRICES"), "utf8"),
		stringified(expected),
	);
	t.deepEqual(Object.keys(await store.readTable("PRICES")), [
		"A",
		"__proto__",
		'B"\n',
		"C",
	]);
});

test("number keys added after the table was read are rows like the others", async (t) => {
	const store = await makeStore();
	await store.applyTables(prices({ key: "B" }, { key: 2 }));
	await store.applyTables(prices({ key: 1 }, { key: "A" }, { key: 2, v: 1 }));
	t.deepEqual(await store.readTable("PRICES"), {
		"1": { key: 1 },
		"2": { key: 2, v: 1 },
		A: { key: "A" },
		B: { key: "B" },
	});
});

test("applying the same package again, from this store or a new one, leaves the same file", async (t) => {
	const store = await makeStore();
	const first = prices({ key: "A", price: 1 }, { key: "B", price: 2 });
	const second = prices({ key: "B", price: 5 }, { key: "C", price: 3 });
	await store.applyTables(first);
	await store.applyTables(second);
	const applied = await readFile(tableFile(store, "PRICES"), "utf8");
	await store.applyTables(second);
	t.is(await readFile(tableFile(store, "PRICES"), "utf8"), applied);
	const restarted = await makeStore(store.root);
	await restarted.applyTables(second);
	t.is(await readFile(tableFile(restarted, "PRICES"), "utf8"), applied);
});

test("a table another store replaced since this one wrote it is read again", async (t) => {
	const store = await makeStore();
	const other = new ChannelDataStore(store.root);
	await store.applyTables(prices({ key: "A" }));
	await other.applyTables(prices({ key: "B" }));
	await store.applyTables(prices({ key: "C" }));
	t.deepEqual(Object.keys(await store.readTable("PRICES")), ["A", "B", "C"]);
});

test("a table file edited in place between packages is read again", async (t) => {
	const store = await makeStore();
	await store.applyTables(prices({ key: "A" }, { key: "B" }));
	await writeFile(
		tableFile(store, "PRICES"),
		stringified({ EDITED: { key: "EDITED", by: "hand" } }),
	);
	await store.applyTables(prices({ key: "C" }));
	t.deepEqual(await store.readTable("PRICES"), {
		EDITED: { key: "EDITED", by: "hand" },
		C: { key: "C" },
	});
});

test("a table file removed between packages starts again from the package's rows", async (t) => {
	const store = await makeStore();
	await store.applyTables(prices({ key: "A" }));
	await rm(tableFile(store, "PRICES"));
	await store.applyTables(prices({ key: "B" }));
	t.deepEqual(Object.keys(await store.readTable("PRICES")), ["B"]);
});

// A tiny tmpfs stands for a full disk; where this process may not mount one, the test is skipped.
const mountTest = testNeeding(tmpfsUnavailable(), { serial: true });

async function storeOnTmpfs(t: ExecutionContext): Promise<ChannelDataStore> {
	const mount = await mountTmpfs(256 * 1024);
	t.teardown(() => mount.unmount());
	return makeStore(join(mount.path, "STORE1"));
}

mountTest(
	"after a table write fails on a full disk, the next package starts from the rows on disk, without the failed package's",
	async (t) => {
		const store = await storeOnTmpfs(t);
		await store.applyTables(prices({ key: "A", price: 1 }));
		const filler = await fillUp(store.root);
		await t.throwsAsync(
			store.applyTables(prices({ key: "B", price: 2 }, { key: "A", price: 9 })),
			{ code: "ENOSPC" },
		);
		t.deepEqual(await store.readTable("PRICES"), {
			A: { key: "A", price: 1 },
		});
		await rm(filler);
		await store.applyTables(prices({ key: "C", price: 3 }));
		t.deepEqual(await store.readTable("PRICES"), {
			A: { key: "A", price: 1 },
			C: { key: "C", price: 3 },
		});
	},
);
