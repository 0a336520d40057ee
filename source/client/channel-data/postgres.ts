import type Pg from "pg";
import {
	type DatabaseServer,
	postgresLocation,
} from "../../domain/database-server.js";
import type {
	ChannelDatabaseEngine,
	EngineReader,
	EngineTransaction,
	QueryResult,
} from "./engine.js";
import {
	loadPg,
	openConnection,
	postgresProblem,
	tlsRefused,
} from "./postgres-connection.js";
import { transactionOn } from "./postgres-transaction.js";
import { recordsTable } from "./sql-shapes.js";
import { readOnlyStatementProblem } from "./statement-text.js";

/** The statement an operator typed may start with these words only: everything else could change something. */
const readingStatements = new Set([
	"SELECT",
	"WITH",
	"VALUES",
	"TABLE",
	"SHOW",
]);

/**
 * A channel database in a PostgreSQL database on a server (node-postgres,
 * pure JavaScript), for a store that outgrew an embedded file. One
 * connection, one call at a time; a connection dropped between calls is
 * replaced by the next call, so a server restarted meanwhile costs no cycle.
 * Credentials come from libpq's environment (postgres-connection.ts), never
 * from db.json.
 */
export class PostgresChannelDatabase implements ChannelDatabaseEngine {
	readonly engine = "postgresql" as const;
	readonly location: string;
	#connection: Pg.Client | null = null;
	#queue: Promise<unknown> = Promise.resolve();
	#closed = false;

	private constructor(
		readonly server: DatabaseServer,
		readonly database: string,
	) {
		this.location = postgresLocation(server, database);
	}

	/** Connects, and creates the client's records table when it is missing. */
	static async open(
		server: DatabaseServer,
		database: string,
	): Promise<PostgresChannelDatabase> {
		const engine = await PostgresChannelDatabase.connect(server, database);
		await engine.#serially(async () => {
			const connection = await engine.#connect();
			await connection
				.query(
					`CREATE TABLE IF NOT EXISTS ${recordsTable} (name text PRIMARY KEY, value text NOT NULL)`,
				)
				.catch((error: unknown) => {
					throw engine.#named(error);
				});
		});
		return engine;
	}

	/** Connects and changes nothing: for an operator's query and the channel-db test. */
	static async connect(
		server: DatabaseServer,
		database: string,
	): Promise<PostgresChannelDatabase> {
		const engine = new PostgresChannelDatabase(server, database);
		await engine.#serially(() => engine.#connect());
		return engine;
	}

	#serially<T>(work: () => Promise<T>): Promise<T> {
		const next = this.#queue.then(work, work);
		this.#queue = next.catch(() => {});
		return next;
	}

	/** The open connection, or a new one (the first call, or after the server dropped the last). */
	async #connect(): Promise<Pg.Client> {
		if (this.#closed) throw new Error(`${this.location}: closed`);
		if (this.#connection !== null) return this.#connection;
		// A server that goes away between calls: the next call connects again.
		const connection = await openConnection(
			this.server,
			this.database,
			(dropped) => {
				if (this.#connection === dropped) this.#connection = null;
			},
		).catch((error: unknown) => {
			throw this.#named(error);
		});
		this.#connection = connection;
		return connection;
	}

	/** Drops a connection whose state is unknown (the server went away mid-transaction). */
	async #discard(connection: Pg.Client): Promise<void> {
		if (this.#connection === connection) this.#connection = null;
		await connection.end().catch(() => {});
	}

	/** What the server or the connection threw, as one line naming both; the caller's own errors as they are. */
	#named(error: unknown): unknown {
		if (!isFromDatabase(error)) return error;
		const { problem, fix } = postgresProblem(error, {
			server: this.server,
			database: this.database,
		});
		// The fix stays apart too, for `cdx channel-db test`'s "fix:" line.
		return Object.assign(
			new Error(fix === null ? problem : `${problem}; ${fix}`, {
				cause: error,
			}),
			{ problem, fix, storeUnavailable: isConnectionFailure(error) },
		);
	}

	/**
	 * A connection with `begin` run on it. The server (or a firewall) may have
	 * dropped the connection kept from the last call without its notice having
	 * arrived yet: BEGIN is then the first to fail, with nothing run, so one
	 * new connection is tried before the call fails.
	 */
	async #begun(begin: string): Promise<Pg.Client> {
		for (let attempt = 1; ; attempt += 1) {
			const kept = this.#connection !== null;
			const connection = await this.#connect();
			try {
				await connection.query(begin);
				return connection;
			} catch (error) {
				await this.#discard(connection);
				if (!(kept && attempt === 1 && isConnectionFailure(error)))
					throw this.#named(error);
			}
		}
	}

	/** Runs `work` between `begin` and COMMIT (or ROLLBACK), on one connection. */
	#transaction<T>(
		begin: string,
		end: "COMMIT" | "ROLLBACK",
		work: (connection: Pg.Client) => Promise<T>,
	): Promise<T> {
		return this.#serially(async () => {
			const connection = await this.#begun(begin);
			try {
				const result = await work(connection);
				await connection.query(end);
				return result;
			} catch (error) {
				try {
					await connection.query("ROLLBACK");
				} catch {
					// The connection is gone (or broken): the server rolled back for us.
					await this.#discard(connection);
				}
				throw this.#named(error);
			}
		});
	}

	write<T>(work: (transaction: EngineTransaction) => Promise<T>): Promise<T> {
		return this.#transaction("BEGIN", "COMMIT", (connection) =>
			work(transactionOn(connection, true)),
		);
	}

	read<T>(work: (reader: EngineReader) => Promise<T>): Promise<T> {
		return this.#transaction(
			"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			"ROLLBACK",
			(connection) => work(transactionOn(connection, false)),
		);
	}

	async query(sql: string): Promise<QueryResult> {
		const problem = readOnlyStatementProblem(sql);
		if (problem !== null) return { ok: false, refused: problem };
		const first = firstWord(sql);
		if (!readingStatements.has(first))
			return {
				ok: false,
				refused: `only a statement that reads (SELECT) can be run here, not ${first}`,
			};
		try {
			// READ ONLY: the server itself refuses any write the statement hides (a data-changing WITH).
			return await this.#transaction(
				"BEGIN READ ONLY",
				"ROLLBACK",
				async (connection) => {
					// Extended protocol: one statement only, whatever the text holds.
					const result = await connection.query({
						text: sql,
						rowMode: "array",
						queryMode: "extended",
					} as Pg.QueryArrayConfig);
					const columns = result.fields.map((field) => field.name);
					const rows = (result.rows as unknown[][]).map((values) =>
						Object.fromEntries(
							columns.map((column, index) => [column, values[index]]),
						),
					);
					return { ok: true as const, columns, rows };
				},
			);
		} catch (error) {
			const code = ((error as Error).cause as { code?: unknown } | undefined)
				?.code;
			// 25006: a write in a read-only transaction; 42…: the statement itself is wrong.
			if (code === "25006")
				return {
					ok: false,
					refused: `it would write: ${(error as Error).message}`,
				};
			if (typeof code === "string" && code.startsWith("42"))
				return { ok: false, refused: (error as Error).message };
			throw error;
		}
	}

	async close(): Promise<void> {
		await this.#serially(async () => {
			this.#closed = true;
			const connection = this.#connection;
			this.#connection = null;
			await connection?.end().catch(() => {});
		});
	}
}

function isFromDatabase(error: unknown): boolean {
	return (
		error instanceof loadPg().DatabaseError ||
		isConnectionFailure(error) ||
		tlsRefused(error)
	);
}

/** No answer from the server: the socket failed, or the server is shutting down or starting (SQLSTATE 57P01–57P03, 08…). */
function isConnectionFailure(error: unknown): boolean {
	if (error instanceof loadPg().DatabaseError)
		return /^(57P0[1-3]|08)/.test(error.code ?? "");
	const code = (error as { code?: unknown }).code;
	// Node's socket errors (ECONNREFUSED, ECONNRESET, …) and pg's own for a dropped connection.
	return (
		(typeof code === "string" && /^E[A-Z_]+$/.test(code)) ||
		/^Connection terminated|^timeout expired|Client has encountered a connection error/.test(
			(error as Error).message ?? "",
		)
	);
}

function firstWord(sql: string): string {
	const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ").trimStart();
	return (/^[A-Za-z]+/.exec(text)?.[0] ?? "").toUpperCase();
}
