import { createRequire } from "node:module";
import { join } from "node:path";
import type Libsql from "libsql";
import { databaseFileName } from "../../source/client/channel-store.js";

const Database = createRequire(import.meta.url)("libsql") as typeof Libsql;

/**
 * A point of sale's own connection to the channel database file, as a POS
 * that writes SQL has: rows for upload carry REPLICATIONCOUNTERFROMORIGIN,
 * raised in the same write transaction as the row.
 */
export function openPos(dataFolder: string): Libsql.Database {
	const connection = new Database(join(dataFolder, databaseFileName));
	connection.pragma("busy_timeout = 10000");
	connection.pragma("journal_mode = WAL");
	return connection;
}

export const salesTable = `CREATE TABLE IF NOT EXISTS SALES (
	key TEXT PRIMARY KEY NOT NULL,
	amount DECIMAL,
	REPLICATIONCOUNTERFROMORIGIN INTEGER
)`;

/** Inserts or updates a sale with the next counter, in one write transaction. */
export function writeSale(
	pos: Libsql.Database,
	key: string,
	amount: number,
): void {
	pos.exec("BEGIN IMMEDIATE");
	try {
		pos
			.prepare(
				`INSERT INTO SALES (key, amount, REPLICATIONCOUNTERFROMORIGIN)
				 VALUES (?, ?, (SELECT coalesce(max(REPLICATIONCOUNTERFROMORIGIN), 0) + 1 FROM SALES))
				 ON CONFLICT (key) DO UPDATE SET amount = excluded.amount,
				 REPLICATIONCOUNTERFROMORIGIN = excluded.REPLICATIONCOUNTERFROMORIGIN`,
			)
			.run(key, amount);
		pos.exec("COMMIT");
	} catch (error) {
		pos.exec("ROLLBACK");
		throw error;
	}
}
