import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ConnectionOptions } from "node:tls";

/**
 * libpq's connection settings that node-postgres does not read itself, or
 * reads differently: the service file, and PGSSLMODE as libpq means it.
 * The server and database always come from the record (what a connection
 * string gives libpq, which wins over both).
 */
export type LibpqSettings = {
	user?: string;
	password?: string;
	ssl: false | ConnectionOptions;
	/** prefer: TLS first, and without it when the server has none. */
	sslFallback: boolean;
	connectTimeoutSeconds?: number;
	applicationName?: string;
};

/** Where Debian's libpq looks for the system-wide service file when PGSYSCONFDIR is not set. */
const defaultSysconfdir = "/etc/postgresql-common";

/** The sections of a service file: INI, `#` comments, `key=value` lines. */
export function parseServiceFile(
	text: string,
	file: string,
): Map<string, Map<string, string>> {
	const services = new Map<string, Map<string, string>>();
	let current: Map<string, string> | null = null;
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.trim();
		if (line === "" || line.startsWith("#")) continue;
		const section = /^\[(.+)\]$/.exec(line);
		if (section) {
			current = new Map();
			services.set(section[1] ?? "", current);
			continue;
		}
		const equals = line.indexOf("=");
		if (current === null || equals < 1)
			throw new Error(
				`syntax error in service file ${file}, line ${index + 1}`,
			);
		current.set(line.slice(0, equals).trim(), line.slice(equals + 1).trim());
	}
	return services;
}

function readService(
	file: string,
	name: string,
): Map<string, string> | undefined {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		// A file that is not there is libpq's "no such service here" too.
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
		throw new Error(
			`service file ${file}: ${(error as Error).message.split("\n")[0]}`,
		);
	}
	return parseServiceFile(text, file).get(name);
}

/**
 * The settings of service PGSERVICE: from PGSERVICEFILE (else
 * ~/.pg_service.conf) when it has that section, else from
 * PGSYSCONFDIR/pg_service.conf; none without PGSERVICE. A service named
 * but found in neither is an error, as in libpq.
 */
export function serviceSettings(
	environment: NodeJS.ProcessEnv,
): Map<string, string> {
	const name = environment.PGSERVICE;
	if (name === undefined || name === "") return new Map();
	const userFile =
		environment.PGSERVICEFILE ?? join(homedir(), ".pg_service.conf");
	const systemFile = join(
		environment.PGSYSCONFDIR ?? defaultSysconfdir,
		"pg_service.conf",
	);
	const found = readService(userFile, name) ?? readService(systemFile, name);
	if (found === undefined)
		throw new Error(
			`PGSERVICE: service "${name}" is defined in neither ${userFile} nor ${systemFile}`,
		);
	return found;
}

/** libpq's sslmode values that node's TLS can honour, and what each asks of the connection. */
function sslFor(
	mode: string,
	rootCertificate: string | undefined,
): Pick<LibpqSettings, "ssl" | "sslFallback"> {
	const ca = () => {
		if (rootCertificate === undefined) return {};
		try {
			return { ca: readFileSync(rootCertificate, "utf8") };
		} catch (error) {
			throw new Error(
				`sslrootcert ${rootCertificate}: ${(error as Error).message.split("\n")[0]}`,
			);
		}
	};
	switch (mode) {
		// allow: libpq's first try is without TLS; node-postgres cannot try again with it.
		case "disable":
		case "allow":
			return { ssl: false, sslFallback: false };
		// Encrypted, the certificate not checked: what require means to libpq (and prefer, when TLS is there).
		case "prefer":
		case "require":
			return {
				ssl: { rejectUnauthorized: false },
				sslFallback: mode === "prefer",
			};
		// The chain checked against the root certificate, not the host name.
		case "verify-ca":
			return {
				ssl: { ...ca(), checkServerIdentity: () => undefined },
				sslFallback: false,
			};
		case "verify-full":
			return { ssl: ca(), sslFallback: false };
		default:
			throw new Error(
				`sslmode "${mode}" is not one of disable, allow, prefer, require, verify-ca, verify-full`,
			);
	}
}

/**
 * What libpq would use beside the record's server and database: each
 * setting from the service file first, then its environment variable
 * (PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT,
 * PGAPPNAME), then libpq's default (sslmode prefer).
 */
export function libpqSettings(
	environment: NodeJS.ProcessEnv = process.env,
): LibpqSettings {
	const service = serviceSettings(environment);
	const setting = (key: string, variable: string) =>
		service.get(key) ?? environment[variable];
	const timeout = setting("connect_timeout", "PGCONNECT_TIMEOUT");
	const user = setting("user", "PGUSER");
	const password = setting("password", "PGPASSWORD");
	const applicationName = setting("application_name", "PGAPPNAME");
	return {
		...sslFor(
			setting("sslmode", "PGSSLMODE") ?? "prefer",
			setting("sslrootcert", "PGSSLROOTCERT"),
		),
		...(user === undefined ? {} : { user }),
		...(password === undefined ? {} : { password }),
		...(timeout === undefined || !(Number(timeout) > 0)
			? {}
			: { connectTimeoutSeconds: Number(timeout) }),
		...(applicationName === undefined ? {} : { applicationName }),
	};
}
