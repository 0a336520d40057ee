import { createRequire } from "node:module";
import type Pg from "pg";
import type { DatabaseServer } from "../../domain/database-server.js";
import { type LibpqSettings, libpqSettings } from "./libpq-environment.js";

/**
 * How the client reaches a channel database on a PostgreSQL server. The
 * server and database come from the record; who connects and how comes
 * only from libpq's own conventions (libpq-environment.ts): the service
 * file (PGSERVICE), PGUSER (else the login name), PGPASSWORD or else the
 * password file (PGPASSFILE, else ~/.pgpass, ignored unless mode 0600),
 * PGSSLMODE with PGSSLROOTCERT, PGCONNECT_TIMEOUT and PGAPPNAME.
 */
export function connectionSettings(
	server: DatabaseServer,
	database: string,
	settings: LibpqSettings,
): Pg.ClientConfig {
	const { password } = settings;
	return {
		host: server.host,
		port: server.port,
		database,
		...(settings.user === undefined ? {} : { user: settings.user }),
		// A function, so the password file is read only when the server asks (and not through pg's deprecated path).
		password: ((connection: PasswordRequest) =>
			password === undefined
				? passwordFile(connection)
				: Promise.resolve(password)) as unknown as string,
		// libpq uses no TLS over a Unix socket, whatever the mode.
		ssl: server.host.startsWith("/") ? false : settings.ssl,
		connectionTimeoutMillis: (settings.connectTimeoutSeconds ?? 10) * 1000,
		application_name: settings.applicationName ?? "cdx client",
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
		types: postgresTypes(),
	};
}

/** pg's answer when TLS was asked for and the server has none. */
export function tlsRefused(error: unknown): boolean {
	return /does not support SSL/i.test((error as Error).message ?? "");
}

/**
 * A connection, ready for the client's statements (UTC, ISO dates);
 * `onDropped` hears of it when the server goes away later. With sslmode
 * prefer a server without TLS is asked again without it, as libpq does.
 */
export async function openConnection(
	server: DatabaseServer,
	database: string,
	onDropped: (connection: Pg.Client) => void,
): Promise<Pg.Client> {
	const settings = libpqSettings();
	try {
		return await connectOnce(server, database, settings, onDropped);
	} catch (error) {
		if (!settings.sslFallback || !tlsRefused(error)) throw error;
		return connectOnce(
			server,
			database,
			{ ...settings, ssl: false },
			onDropped,
		);
	}
}

async function connectOnce(
	server: DatabaseServer,
	database: string,
	settings: LibpqSettings,
	onDropped: (connection: Pg.Client) => void,
): Promise<Pg.Client> {
	const { Client } = loadPg();
	const connection = new Client(connectionSettings(server, database, settings));
	connection.on("error", () => onDropped(connection));
	try {
		await connection.connect();
		await connection.query(
			"SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'",
		);
	} catch (error) {
		await connection.end().catch(() => {});
		throw error;
	}
	return connection;
}

let pg: typeof Pg | undefined;

/** node-postgres, loaded once on first use (the SQLite-only client never needs it). */
export function loadPg(): typeof Pg {
	pg ??= createRequire(import.meta.url)("pg") as typeof Pg;
	return pg;
}

type PasswordRequest = {
	host: string;
	port: number;
	database: string;
	user: string;
};

type PgPassLookup = (
	connection: { host: string; port: number; database: string; user: string },
	found: (password: string | undefined) => void,
) => void;

/** The password file's entry for the connection, as libpq reads ~/.pgpass (PGPASSFILE). */
function passwordFile(
	connection: PasswordRequest,
): Promise<string | undefined> {
	const lookup = createRequire(import.meta.url)("pgpass") as PgPassLookup;
	return new Promise((resolve) => lookup(connection, resolve));
}

/** A column's value as the client and an operator's query read it: numbers as numbers, timestamps as ISO text. */
function postgresTypes(): Pg.CustomTypesConfig {
	const pg = loadPg();
	const overrides = new Map<number, (text: string) => unknown>([
		[20, numberUnlessTooPrecise], // bigint
		[1700, numberUnlessTooPrecise], // numeric
		[1184, (text) => isoTimestamp(text)], // timestamptz, in the session's UTC
		[1114, (text) => isoTimestamp(`${text}+00`)], // timestamp without zone: taken as UTC
		[1082, (text) => text], // date, as written (pg would make it a local Date)
	]);
	return {
		getTypeParser: ((oid: number, format?: string) =>
			(format ?? "text") === "text" && overrides.has(oid)
				? overrides.get(oid)
				: pg.types.getTypeParser(
						oid,
						format as "text",
					)) as Pg.CustomTypesConfig["getTypeParser"],
	};
}

/** A number when a double holds it exactly (15 significant digits), else the text. */
function numberUnlessTooPrecise(text: string): number | string {
	const digits = text.replace(/^[-+]?0*|[.]|e.*$/gi, "").replace(/0+$/, "");
	return digits.length <= 15 ? Number(text) : text;
}

/** "2026-12-01 10:00:00.5+00" → "2026-12-01T10:00:00.5Z" (the session's time zone is UTC). */
function isoTimestamp(text: string): string {
	return text.replace(" ", "T").replace(/\+00(:00)?$/, "Z");
}

const readableCodes: Record<string, string> = {
	ECONNREFUSED:
		"refused the connection (is PostgreSQL running and listening there?)",
	ENOTFOUND: "the host name is not known",
	EAI_AGAIN: "the host name could not be looked up",
	EHOSTUNREACH: "the host cannot be reached",
	ETIMEDOUT: "did not answer in time",
	ECONNRESET: "closed the connection (stopped or restarted?)",
	ENOENT: "has no socket in that folder (is PostgreSQL running?)",
};

/** What to do about a server's refusal, by SQLSTATE class or code. */
function fixFor(code: string, server: DatabaseServer, database: string) {
	if (code.startsWith("28"))
		return "give the client's credentials through PGUSER and PGPASSWORD or ~/.pgpass";
	if (code === "3D000")
		return `create it (createdb -h ${server.host} -p ${server.port} ${database}) or correct Retail Server: database`;
	if (code === "55P03")
		return "another transaction (a point of sale's) held the table too long; the next run tries again";
	if (code.startsWith("57P"))
		return "the server was stopped or restarted; the next run tries again";
	return null;
}

/**
 * One line naming the server and database (and the table and column when
 * the server names them) for anything node-postgres throws, and what to
 * do about it where that is known.
 */
export function postgresProblem(
	error: unknown,
	where: { server: DatabaseServer; database: string },
): { problem: string; fix: string | null } {
	const { server, database } = where;
	const place = `PostgreSQL server ${server.host}:${server.port}, database ${database}`;
	const failure = error as {
		message?: string;
		code?: unknown;
		table?: string;
		column?: string;
		detail?: string;
	};
	const message = String(failure.message ?? error).split("\n")[0] ?? "";
	const code = typeof failure.code === "string" ? failure.code : "";
	const readable = readableCodes[code];
	if (readable !== undefined)
		return {
			problem: `${place}: the server ${readable}`,
			fix: "start the server, or correct Retail Server: server; the next run tries again",
		};
	if (tlsRefused(error))
		return {
			problem: `${place}: the server does not support TLS (SSL) connections, which the sslmode asks for`,
			fix: "turn ssl on in the server, or set sslmode prefer or disable (PGSSLMODE, or the service file)",
		};
	if (
		/Connection terminated|timeout expired|connection error and is not queryable/i.test(
			message,
		)
	)
		return {
			problem: `${place}: the server closed the connection or did not answer (stopped or restarted?)`,
			fix: "the next run tries again",
		};
	const parts = [message];
	if (failure.table !== undefined) parts.push(`table ${failure.table}`);
	if (failure.column !== undefined) parts.push(`column ${failure.column}`);
	return {
		problem: `${place}: ${parts.join(", ")}`,
		fix: fixFor(code, server, database),
	};
}

/**
 * Whether a failure is the record's or the environment's to fix (credentials
 * refused, no such database, no right to it), not a server that is away.
 */
export function isSettingsProblem(error: unknown): boolean {
	const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
	return (
		typeof code === "string" &&
		(code.startsWith("28") || code === "3D000" || code === "42501")
	);
}
