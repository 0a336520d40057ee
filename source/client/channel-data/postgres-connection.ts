import { createRequire } from "node:module";
import type Pg from "pg";
import type { DatabaseServer } from "../../domain/database-server.js";

/**
 * How the client reaches a channel database on a PostgreSQL server. The
 * server and database come from the record; who connects and how comes
 * only from libpq's own environment, as node-postgres reads it: PGUSER
 * (else the login name), PGPASSWORD or else the password file (PGPASSFILE,
 * else ~/.pgpass, ignored unless mode 0600), PGSSLMODE (disable; any other
 * mode is TLS with the certificate checked against Node's CAs, no-verify
 * skips the check), PGCONNECT_TIMEOUT and PGAPPNAME. A service file
 * (PGSERVICE) is not read by node-postgres, so not here either.
 */
export function connectionSettings(
	server: DatabaseServer,
	database: string,
): Pg.ClientConfig {
	return {
		host: server.host,
		port: server.port,
		database,
		// A function, so the password file is read only when the server asks (and not through pg's deprecated path).
		password: passwordFromEnvironment as unknown as string,
		...(process.env.PGCONNECT_TIMEOUT
			? {}
			: { connectionTimeoutMillis: 10_000 }),
		...(process.env.PGAPPNAME ? {} : { application_name: "cdx client" }),
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
	};
}

type PgPassLookup = (
	connection: { host: string; port: number; database: string; user: string },
	found: (password: string | undefined) => void,
) => void;

function passwordFromEnvironment(connection: {
	host: string;
	port: number;
	database: string;
	user: string;
}): Promise<string | undefined> {
	if (process.env.PGPASSWORD !== undefined)
		return Promise.resolve(process.env.PGPASSWORD);
	const lookup = createRequire(import.meta.url)("pgpass") as PgPassLookup;
	return new Promise((resolve) => lookup(connection, resolve));
}

/** A column's value as the client and an operator's query read it: numbers as numbers, timestamps as ISO text. */
export function postgresTypes(): Pg.CustomTypesConfig {
	const pg = createRequire(import.meta.url)("pg") as typeof Pg;
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
