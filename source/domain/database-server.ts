/**
 * The Retail Server FastTab of a channel database says where its data is:
 * an empty server keeps it in the embedded SQLite file, a server
 * (HOST[:PORT]) keeps it in PostgreSQL database NAME on that server.
 */

/** A PostgreSQL server: a host name or address, or (libpq's convention) the folder of its Unix socket. */
export type DatabaseServer = { host: string; port: number };

export const defaultPostgresPort = 5432;

/** Where a channel database keeps its data. */
export type StoreTarget =
	| { engine: "sqlite" }
	| { engine: "postgresql"; server: DatabaseServer; database: string };

const hostPattern = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;

/**
 * Reads HOST[:PORT], [IPv6]:PORT or /socket/folder[:PORT]. The problem
 * names what is wrong with the text, for the field's own message.
 */
export function parseDatabaseServer(
	text: string,
): { ok: true; server: DatabaseServer } | { ok: false; problem: string } {
	const match = /^(\[[0-9A-Fa-f:.]+\]|[^:]+)(?::(\d*))?$/.exec(text);
	if (match === null)
		return {
			ok: false,
			problem: `must be HOST or HOST:PORT (got ${JSON.stringify(text.slice(0, 70))})`,
		};
	const [, rawHost = "", rawPort] = match;
	const host = rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost;
	if (!(host.startsWith("/") || hostPattern.test(host) || rawHost !== host))
		return {
			ok: false,
			problem: `${JSON.stringify(host.slice(0, 70))} is not a host name, an address or a socket folder`,
		};
	if (rawPort === undefined)
		return { ok: true, server: { host, port: defaultPostgresPort } };
	const port = Number(rawPort);
	if (rawPort === "" || !Number.isInteger(port) || port < 1 || port > 65535)
		return {
			ok: false,
			problem: `port ${JSON.stringify(rawPort)} must be a whole number from 1 to 65535`,
		};
	return { ok: true, server: { host, port } };
}

/** PostgreSQL's limit on a database name (NAMEDATALEN - 1 bytes). */
const databaseNameBytes = 63;

export function databaseNameProblem(name: string): string | null {
	if (name === "")
		return "required when a server is set (the PostgreSQL database that holds the data)";
	if (new TextEncoder().encode(name).length > databaseNameBytes)
		return `at most ${databaseNameBytes} bytes (PostgreSQL's limit)`;
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
	if (/[\u0000-\u001f\u007f]/.test(name))
		return "must not contain control characters";
	return null;
}

/** The store a channel database's Retail Server fields select, or why they select none. */
export function storeTargetOf(fields: {
	serverName: string;
	databaseName: string;
}): { ok: true; target: StoreTarget } | { ok: false; problem: string } {
	if (fields.serverName === "")
		return { ok: true, target: { engine: "sqlite" } };
	const parsed = parseDatabaseServer(fields.serverName);
	if (!parsed.ok)
		return { ok: false, problem: `Retail Server: server ${parsed.problem}` };
	const problem = databaseNameProblem(fields.databaseName);
	if (problem !== null)
		return { ok: false, problem: `Retail Server: database ${problem}` };
	return {
		ok: true,
		target: {
			engine: "postgresql",
			server: parsed.server,
			database: fields.databaseName,
		},
	};
}

/** postgresql://HOST:PORT/NAME, as libpq writes a URI (never with a password: there is none here). */
export function postgresLocation(
	server: DatabaseServer,
	database: string,
): string {
	const host = server.host.startsWith("/")
		? encodeURIComponent(server.host)
		: server.host.includes(":")
			? `[${server.host}]`
			: server.host;
	return `postgresql://${host}:${server.port}/${encodeURIComponent(database)}`;
}
