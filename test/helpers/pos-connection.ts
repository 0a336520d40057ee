import { createRequire } from "node:module";
import type Libsql from "libsql";
import pg from "pg";
import {
	configuredStore,
	type RetailServerFields,
} from "../../source/client/channel-data/store-target.js";
import { type ClientSetup, pathsOf } from "./client-setup.js";

const Database = createRequire(import.meta.url)("libsql") as typeof Libsql;

/**
 * A point of sale's own connection to the channel database, on either
 * engine (pos.ts is the SQLite file's alone): to the SQLite file, or to the
 * PostgreSQL database the record names. Rows for upload carry REPLICATIONCOUNTERFROMORIGIN, raised
 * in the statement that writes the row. Statements use "?" placeholders
 * and double-quoted names, which both engines read the same.
 */
export type Pos = {
	run(sql: string, parameters?: unknown[]): Promise<void>;
	/** Inserts or updates a sale with the next counter, in one write transaction. */
	writeSale(key: string, amount: number): Promise<void>;
	close(): Promise<void>;
};

export const quotedSalesTable = `CREATE TABLE IF NOT EXISTS "SALES" (
	"key" TEXT PRIMARY KEY NOT NULL,
	"amount" DECIMAL,
	"REPLICATIONCOUNTERFROMORIGIN" INTEGER
)`;

const saleUpsert = `INSERT INTO "SALES" ("key", "amount", "REPLICATIONCOUNTERFROMORIGIN")
	VALUES (?, ?, (SELECT coalesce(max("REPLICATIONCOUNTERFROMORIGIN"), 0) + 1 FROM "SALES"))
	ON CONFLICT ("key") DO UPDATE SET "amount" = excluded."amount",
	"REPLICATIONCOUNTERFROMORIGIN" = excluded."REPLICATIONCOUNTERFROMORIGIN"`;

/** Opens the POS's connection to the store of channel database `database` in `setup`. */
export function connectPos(
	setup: ClientSetup,
	database = "STORE1",
): Promise<Pos> {
	const record = setup.store
		.getSnapshot()
		.configuration.channelDatabases.find(
			(candidate) => candidate.name === database,
		);
	if (record === undefined) throw new Error(`no channel database ${database}`);
	return connectPosAt(pathsOf(setup, database).dataFolder, record);
}

/** The same, from the data folder and the record's Retail Server fields (what a POS process is told). */
export async function connectPosAt(
	dataFolder: string,
	fields: RetailServerFields,
): Promise<Pos> {
	const configured = configuredStore(dataFolder, fields);
	if (!configured.ok) throw new Error(configured.problem);
	if (configured.target.engine === "sqlite")
		return sqlitePos(configured.location);
	const { server, database: name } = configured.target;
	const client = new pg.Client({
		host: server.host,
		port: server.port,
		database: name,
	});
	await client.connect();
	const run = async (sql: string, parameters: unknown[] = []) => {
		let index = 0;
		await client.query(
			sql.replace(/\?/g, () => `$${++index}`),
			parameters,
		);
	};
	return {
		run,
		writeSale: async (key, amount) => {
			await run("BEGIN");
			await run(saleUpsert, [key, amount]);
			await run("COMMIT");
		},
		close: () => client.end(),
	};
}

function sqlitePos(file: string): Pos {
	const connection = new Database(file);
	connection.pragma("busy_timeout = 10000");
	connection.pragma("journal_mode = WAL");
	const run = async (sql: string, parameters: unknown[] = []) => {
		if (parameters.length === 0) connection.exec(sql);
		else connection.prepare(sql).run(...parameters);
	};
	return {
		run,
		writeSale: async (key, amount) => {
			connection.exec("BEGIN IMMEDIATE");
			try {
				connection.prepare(saleUpsert).run(key, amount);
				connection.exec("COMMIT");
			} catch (error) {
				connection.exec("ROLLBACK");
				throw error;
			}
		},
		close: async () => {
			connection.close();
		},
	};
}
