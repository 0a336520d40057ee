import type { ExecutionContext } from "ava";
import type { ChannelDatabaseEngine } from "../../../source/client/channel-data/engine.js";
import type { TableSchema } from "../../../source/domain/table-schema.js";
import { engines } from "../../helpers/engines.js";

const prices: TableSchema = {
	key: ["key"],
	columns: {
		key: "text",
		price: "decimal",
		stock: "integer",
		active: "boolean",
		changedAt: "timestamp",
	},
};

const counted: TableSchema = {
	key: ["id"],
	columns: { id: "integer", amount: "decimal", counter: "integer" },
};

async function withPrices(database: ChannelDatabaseEngine) {
	await database.write(async (transaction) => {
		await transaction.createTable("PRICES", prices);
		await transaction.upsert("PRICES", prices, [{ key: "A", price: 1 }]);
	});
}

const readPrices = (database: ChannelDatabaseEngine) =>
	database.read((reader) => reader.rows("PRICES", prices));

for (const engine of engines) {
	const open = (t: ExecutionContext) => engine.open(t);

	engine.test(
		`${engine.name}: rows written in one transaction read back with their types`,
		async (t) => {
			const database = await open(t);
			await database.write(async (transaction) => {
				await transaction.createTable("PRICES", prices);
				await transaction.upsert("PRICES", prices, [
					{
						key: "A",
						price: 1.25,
						stock: 3,
						active: true,
						changedAt: "2026-12-01T10:00:00Z",
					},
					{
						key: "B",
						price: null,
						stock: null,
						active: false,
						changedAt: null,
					},
				]);
			});
			const rows = await database.read(async (reader) => {
				const schema = (await reader.tables()).get("PRICES");
				t.deepEqual(schema, prices);
				return reader.rows("PRICES", prices);
			});
			t.deepEqual(rows, [
				{
					key: "A",
					price: 1.25,
					stock: 3,
					active: true,
					changedAt: "2026-12-01T10:00:00Z",
				},
				{ key: "B", price: null, stock: null, active: false, changedAt: null },
			]);
		},
	);

	engine.test(
		`${engine.name}: a transaction that throws leaves nothing behind`,
		async (t) => {
			const database = await open(t);
			await t.throwsAsync(
				database.write(async (transaction) => {
					await transaction.createTable("PRICES", prices);
					await transaction.setRecord("watermark", "7");
					throw new Error("killed halfway");
				}),
				{ message: "killed halfway" },
			);
			t.is((await database.read((reader) => reader.tables())).size, 0);
			t.is(await database.read((reader) => reader.record("watermark")), null);
		},
	);

	engine.test(
		`${engine.name}: upsert replaces a key's row, the last of a package's rows for one key winning`,
		async (t) => {
			const database = await open(t);
			await withPrices(database);
			await database.write((transaction) =>
				transaction.upsert("PRICES", prices, [
					{ key: "A", price: 2, stock: 1 },
					{ key: "B", price: 5 },
					{ key: "A", price: 3, stock: 2 },
				]),
			);
			t.deepEqual(
				(await readPrices(database)).map(({ key, price, stock }) => ({
					key,
					price,
					stock,
				})),
				[
					{ key: "A", price: 3, stock: 2 },
					{ key: "B", price: 5, stock: null },
				],
			);
		},
	);

	engine.test(
		`${engine.name}: an added column is in the table's schema and takes values`,
		async (t) => {
			const database = await open(t);
			await withPrices(database);
			await database.write(async (transaction) => {
				await transaction.addColumn("PRICES", "note", "text");
				await transaction.upsert(
					"PRICES",
					{ key: ["key"], columns: { key: "text", note: "text" } },
					[{ key: "A", note: "on sale" }],
				);
			});
			const schema = (await database.read((reader) => reader.tables())).get(
				"PRICES",
			);
			t.is(schema?.columns.note, "text");
			t.deepEqual(
				await database.read((reader) =>
					reader.rows("PRICES", {
						key: ["key"],
						columns: { key: "text", price: "decimal", note: "text" },
					}),
				),
				[{ key: "A", price: 1, note: "on sale" }],
			);
		},
	);

	engine.test(
		`${engine.name}: rows above a replication counter come in counter order, bounded`,
		async (t) => {
			const database = await open(t);
			await database.write(async (transaction) => {
				await transaction.createTable("SALES", counted);
				await transaction.upsert(
					"SALES",
					counted,
					[5, 1, 4, 2, 3].map((counter) => ({
						id: 10 - counter,
						amount: counter * 1.5,
						counter,
					})),
				);
			});
			const [above, bounded, highest] = await database.read(async (reader) => [
				await reader.rowsByCounter("SALES", counted, "counter", {
					after: 2,
					limit: 2,
				}),
				await reader.rowsByCounter("SALES", counted, "counter", {
					after: 0,
					upTo: 2,
					limit: 10,
				}),
				await reader.highestCounter("SALES", "counter"),
			]);
			t.deepEqual(
				above.map((row) => row.counter),
				[3, 4],
			);
			t.deepEqual(bounded, [
				{ id: 9, amount: 1.5, counter: 1 },
				{ id: 8, amount: 3, counter: 2 },
			]);
			t.is(highest, 5);
		},
	);

	engine.test(
		`${engine.name}: the client's records keep the last value set`,
		async (t) => {
			const database = await open(t);
			await database.write((transaction) =>
				transaction.setRecord("download-progress", '{"a":1}'),
			);
			await database.write((transaction) =>
				transaction.setRecord("download-progress", '{"a":2}'),
			);
			t.is(
				await database.read((reader) => reader.record("download-progress")),
				'{"a":2}',
			);
			t.false(
				(await database.read((reader) => reader.tables())).has(
					"_cdx_client_records",
				),
			);
		},
	);

	engine.test(
		`${engine.name}: a query that writes is refused and changes nothing; one that reads returns rows`,
		async (t) => {
			const database = await open(t);
			await withPrices(database);
			for (const sql of [
				"INSERT INTO PRICES (key) VALUES ('B')",
				"UPDATE PRICES SET price = 9",
				"DELETE FROM PRICES",
				"DROP TABLE PRICES",
				"ATTACH DATABASE 'other.db' AS other",
				"PRAGMA journal_mode = DELETE",
				"PRAGMA user_version = 3",
				"CREATE TABLE X (a)",
				"SELECT 1; DELETE FROM PRICES",
				"/* hidden */ DELETE FROM PRICES -- comment",
				'WITH gone AS (DELETE FROM "PRICES" RETURNING *) SELECT * FROM gone',
			]) {
				const result = await database.query(sql);
				t.false(result.ok, sql);
			}
			t.deepEqual(await readPrices(database).then((rows) => rows.length), 1);
			const read = await database.query(
				'SELECT key, price FROM "PRICES" -- a comment; DELETE',
			);
			t.deepEqual(read, {
				ok: true,
				columns: ["key", "price"],
				rows: [{ key: "A", price: 1 }],
			});
			t.is(
				await database.query("SELECT 'a;b' AS text").then((r) => r.ok),
				true,
			);
		},
	);
}
