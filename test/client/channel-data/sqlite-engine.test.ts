import { join } from "node:path";
import test from "ava";
import { SqliteChannelDatabase } from "../../../source/client/channel-data/sqlite.js";
import type { TableSchema } from "../../../source/domain/table-schema.js";
import { makeTempFolder } from "../../helpers/database.js";

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

async function openDatabase(t: {
	teardown: (fn: () => Promise<void>) => void;
}) {
	const file = join(await makeTempFolder(), "channel-database.sqlite");
	const database = await SqliteChannelDatabase.open(file);
	t.teardown(() => database.close());
	return database;
}

test("rows written in one transaction read back with their types", async (t) => {
	const database = await openDatabase(t);
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
			{ key: "B", price: null, stock: null, active: false, changedAt: null },
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
});

test("a transaction that throws leaves nothing behind", async (t) => {
	const database = await openDatabase(t);
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
});

test("a query that writes is refused and changes nothing; one that reads returns rows", async (t) => {
	const database = await openDatabase(t);
	await database.write(async (transaction) => {
		await transaction.createTable("PRICES", prices);
		await transaction.upsert("PRICES", prices, [{ key: "A", price: 1 }]);
	});
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
		"WITH gone AS (DELETE FROM PRICES RETURNING *) SELECT * FROM gone",
	]) {
		const result = await database.query(sql);
		t.false(result.ok, sql);
	}
	const read = await database.query(
		"SELECT key, price FROM PRICES -- a comment; DELETE",
	);
	t.deepEqual(read, {
		ok: true,
		columns: ["key", "price"],
		rows: [{ key: "A", price: 1 }],
	});
	t.is(await database.query("SELECT 'a;b' AS text").then((r) => r.ok), true);
});
