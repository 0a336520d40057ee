import { join } from "node:path";
import type { ExecutionContext } from "ava";
import {
	ChannelDataStore,
	type DownloadProgress,
} from "../../source/client/channel-store.js";
import type { PackageTables } from "../../source/domain/package-format.js";
import type { PackageSchemas } from "../../source/domain/table-schema.js";
import { rowsByKey } from "../helpers/channel-rows.js";
import { makeTempFolder } from "../helpers/database.js";
import { type EngineUnderTest, engines } from "../helpers/engines.js";
import {
	fillUp,
	mountTmpfs,
	testNeeding,
	tmpfsUnavailable,
} from "../helpers/mounts.js";

/** A channel data store on `engine` (default: the SQLite file in `root`). */
async function makeStore(
	t: ExecutionContext,
	engine?: EngineUnderTest,
	root?: string,
): Promise<ChannelDataStore> {
	const folder = root ?? (await makeTempFolder());
	const store =
		engine === undefined
			? new ChannelDataStore(folder)
			: new ChannelDataStore(folder, () => engine.open(t));
	await store.prepare();
	t.teardown(() => store.close());
	return store;
}

const progressAt = (sequence: number): DownloadProgress => ({
	formatVersion: 1,
	groups: {
		G: {
			sequence,
			appliedAt: null,
			generation: 0,
			attempts: {},
			setAside: {},
		},
	},
	lastFullSyncAt: null,
});

const watermark = async (store: ChannelDataStore) =>
	(await store.readProgress()).groups.G?.sequence ?? 0;

/** Applies a package as the download cycle does: its rows with the next watermark. */
const apply = async (
	store: ChannelDataStore,
	tables: PackageTables,
	schemas?: PackageSchemas,
) =>
	store.applyPackage(tables, schemas, progressAt((await watermark(store)) + 1));

for (const engine of engines) {
	engine.test(
		`${engine.name}: applying creates a missing table, adds a missing column and upserts by key`,
		async (t) => {
			const store = await makeStore(t, engine);
			await apply(store, {
				PRICES: [
					{ key: "A", price: 1 },
					{ key: "B", price: 2 },
				],
			});
			await apply(store, {
				PRICES: [
					{ key: "B", price: 5, currency: "EUR" },
					{ key: "C", price: 3 },
				],
			});
			t.deepEqual(rowsByKey(await store.readTable("PRICES")), {
				A: { key: "A", price: 1 },
				B: { key: "B", price: 5, currency: "EUR" },
				C: { key: "C", price: 3 },
			});
			t.is(await watermark(store), 2);
		},
	);

	engine.test(
		`${engine.name}: the same package applied twice leaves the same rows`,
		async (t) => {
			const store = await makeStore(t, engine);
			const tables = { PRICES: [{ key: "A", price: 1.5, active: true }] };
			await apply(store, tables);
			const once = await store.readTable("PRICES");
			await apply(store, tables);
			t.deepEqual(await store.readTable("PRICES"), once);
			t.deepEqual(once, [{ key: "A", price: 1.5, active: true }]);
		},
	);

	engine.test(
		`${engine.name}: key 1 and key "1" are not the same row: a text key in a table keyed by number is refused`,
		async (t) => {
			const store = await makeStore(t, engine);
			await apply(store, { ITEMS: [{ key: 1, name: "one" }] });
			const before = await watermark(store);
			await t.throwsAsync(
				apply(store, { ITEMS: [{ key: "1", name: "text one" }] }),
				{
					message:
						'table ITEMS, column key, row 1: "1" must be a whole number (the column is integer)',
				},
			);
			t.deepEqual(await store.readTable("ITEMS"), [{ key: 1, name: "one" }]);
			t.is(await watermark(store), before, "the watermark did not move");
			await t.throwsAsync(apply(store, { MIXED: [{ key: 1 }, { key: "1" }] }), {
				message:
					/table MIXED, column key, row 2: "1" is text where earlier rows have integer/,
			});
		},
	);

	engine.test(
		`${engine.name}: a package that does not fit fails naming table, column and row, and changes nothing`,
		async (t) => {
			const store = await makeStore(t, engine);
			await apply(store, { PRICES: [{ key: "A", price: 1.25 }] });
			const cases: [PackageTables, RegExp][] = [
				[
					{
						PRICES: [
							{ key: "B", price: 2 },
							{ key: "C", price: true },
						],
					},
					/^table PRICES, column price, row 2: true must be a number \(the column is decimal\)$/,
				],
				[
					{ PRICES: [{ key: "B", price: 2 }, { price: 3 }] },
					/^table PRICES, row 2: needs a "key"/,
				],
				[
					{ PRICES: [{ key: "B", nested: { a: 1 } }] },
					/^table PRICES, column nested, row 1: \{"a":1\} is not text, a number/,
				],
			];
			for (const [tables, message] of cases)
				await t.throwsAsync(apply(store, tables), { message });
			t.deepEqual(await store.readTable("PRICES"), [{ key: "A", price: 1.25 }]);
			t.is(await watermark(store), 1);
		},
	);

	engine.test(
		`${engine.name}: a package's schema keys a table by several columns and types them`,
		async (t) => {
			const store = await makeStore(t, engine);
			const schemas: PackageSchemas = {
				STOCK: {
					key: ["store", "item"],
					columns: {
						store: "text",
						item: "integer",
						quantity: "decimal",
						countedAt: "timestamp",
					},
				},
			};
			await apply(
				store,
				{
					STOCK: [
						{
							store: "S1",
							item: 1,
							quantity: 2,
							countedAt: "2026-12-01T10:00:00Z",
						},
						{ store: "S2", item: 1, quantity: 4 },
					],
				},
				schemas,
			);
			await apply(
				store,
				{ STOCK: [{ store: "S1", item: 1, quantity: 7.5 }] },
				schemas,
			);
			t.deepEqual(await store.readTable("STOCK"), [
				{ store: "S1", item: 1, quantity: 7.5, countedAt: null },
				{ store: "S2", item: 1, quantity: 4, countedAt: null },
			]);
			await t.throwsAsync(
				apply(store, { STOCK: [{ store: "S1", quantity: 1 }] }, schemas),
				{ message: /^table STOCK, row 1: needs a "item"/ },
			);
		},
	);
}

// A tiny tmpfs stands for a full disk; where this process may not mount one, the test is skipped.
const mountTest = testNeeding(tmpfsUnavailable(), { serial: true });

mountTest(
	"a package that fails on a full disk leaves the rows and watermark before it, and the next one applies once there is room",
	async (t) => {
		const mount = await mountTmpfs(1024 * 1024);
		t.teardown(() => mount.unmount());
		const store = await makeStore(t, undefined, join(mount.path, "STORE1"));
		await apply(store, { PRICES: [{ key: "A", price: 1 }] });
		const filler = await fillUp(store.root);
		const big = Array.from({ length: 20_000 }, (_, index) => ({
			key: `B${index}`,
			price: index,
			text: "x".repeat(40),
		}));
		await t.throwsAsync(apply(store, { PRICES: big }));
		t.deepEqual(rowsByKey(await store.readTable("PRICES")), {
			A: { key: "A", price: 1 },
		});
		t.is(await watermark(store), 1);
		await (await import("node:fs/promises")).rm(filler);
		await apply(store, { PRICES: [{ key: "C", price: 3 }] });
		t.deepEqual(Object.keys(rowsByKey(await store.readTable("PRICES"))), [
			"A",
			"C",
		]);
	},
);
