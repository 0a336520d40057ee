import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect as connectTcp, createServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { DatabaseServer } from "../../source/domain/database-server.js";

/**
 * The real PostgreSQL server the tests use: the one
 * scripts/postgres-test-cluster.sh started (.ci/run starts one; so can a
 * developer), reached through $CDX_TEST_POSTGRES as a superuser.
 */
const serverUrl = process.env.CDX_TEST_POSTGRES;

/** Why the PostgreSQL tests cannot run here, or null (synchronous: for testNeeding). */
export function postgresUnavailable(): string | null {
	return serverUrl
		? null
		: 'no PostgreSQL server for tests: CDX_TEST_POSTGRES is not set (eval "$(bash scripts/postgres-test-cluster.sh start)")';
}

export function testServer(): DatabaseServer {
	const url = new URL(serverUrl ?? "");
	return { host: url.hostname, port: Number(url.port || 5432) };
}

/** The cluster's Unix socket folder as a server field, when the cluster script gave one. */
export function testSocketServer(): DatabaseServer | null {
	const folder = process.env.CDX_TEST_POSTGRES_SOCKET;
	return folder ? { host: folder, port: testServer().port } : null;
}

/** The Retail Server: server field for the test server (HOST:PORT). */
export function testServerField(): string {
	const { host, port } = testServer();
	return `${host}:${port}`;
}

/** Runs statements as the superuser on the server's maintenance database. */
export async function asSuperuser<T>(
	work: (client: pg.Client) => Promise<T>,
	database = "postgres",
): Promise<T> {
	// The connection string's database would win over a `database` beside it.
	const url = new URL(serverUrl ?? "");
	url.pathname = `/${database}`;
	const client = new pg.Client({ connectionString: url.href });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/**
 * A new, empty database on the test server, dropped when the test ends
 * (connections still open are cut first).
 */
export async function makeTestDatabase(t: {
	teardown: (fn: () => Promise<void>) => void;
}): Promise<string> {
	const name = `cdx_test_${randomBytes(6).toString("hex")}`;
	await asSuperuser((client) => client.query(`CREATE DATABASE ${name}`));
	t.teardown(() =>
		asSuperuser(async (client) => {
			await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		}),
	);
	return name;
}

/** The environment a client needs to reach the test server as its superuser (libpq's variables). */
export function postgresEnvironment(): Record<string, string> {
	const url = new URL(serverUrl ?? "postgresql://postgres@localhost");
	return { PGUSER: decodeURIComponent(url.username || "postgres") };
}

const clusterScript = fileURLToPath(
	new URL("../../scripts/postgres-test-cluster.sh", import.meta.url),
);

/** A PostgreSQL cluster of one test's own, for what would disturb the shared one (a restart). */
export type PrivateCluster = {
	server: DatabaseServer;
	/** A new database on it, as its superuser. */
	createDatabase(name: string): Promise<void>;
	/** pg_ctl restart in fast mode: every connection is cut, as a store server's restart does. */
	restart(): Promise<void>;
};

function runClusterScript(args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile("bash", [clusterScript, ...args], (error, stdout, stderr) =>
			error
				? reject(new Error(`${args[0]}: ${stderr || error.message}`))
				: resolve(stdout),
		);
	});
}

/** Starts a cluster with scripts/postgres-test-cluster.sh on the next free port; stopped when the test ends. */
export async function startPrivateCluster(t: {
	teardown: (fn: () => Promise<void>) => void;
}): Promise<PrivateCluster> {
	const { CDX_TEST_POSTGRES_PORT: _port, ...environment } = process.env;
	const printed = await new Promise<string>((resolve, reject) =>
		execFile(
			"bash",
			[clusterScript, "start"],
			{ env: environment },
			(error, stdout, stderr) =>
				error ? reject(new Error(stderr || error.message)) : resolve(stdout),
		),
	);
	const exported = Object.fromEntries(
		[...printed.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [
			match[1],
			match[2],
		]),
	);
	const folder = exported.CDX_TEST_POSTGRES_CLUSTER ?? "";
	t.teardown(async () => {
		await runClusterScript(["stop", folder]);
	});
	const url = new URL(exported.CDX_TEST_POSTGRES ?? "");
	return {
		server: { host: url.hostname, port: Number(url.port) },
		createDatabase: async (name) => {
			const client = new pg.Client({ connectionString: url.href });
			await client.connect();
			try {
				await client.query(`CREATE DATABASE ${name}`);
			} finally {
				await client.end();
			}
		},
		restart: async () => {
			await runClusterScript(["restart", folder]);
		},
	};
}

/** Runs `work` with libpq variables set (serial tests only: the environment is the process's). */
export async function withEnvironment<T>(
	variables: Record<string, string | undefined>,
	work: () => Promise<T>,
): Promise<T> {
	const before = Object.fromEntries(
		Object.keys(variables).map((name) => [name, process.env[name]]),
	);
	const set = (values: Record<string, string | undefined>) => {
		for (const [name, value] of Object.entries(values))
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
	};
	set(variables);
	try {
		return await work();
	} finally {
		set(before);
	}
}

/**
 * A TCP relay to `server` that can forget its connections as a firewall
 * forgets an idle one: the server sees the client go, the client hears
 * nothing until it next sends, and then a reset.
 */
export async function forgetfulRelay(server: DatabaseServer): Promise<{
	server: DatabaseServer;
	connectionsOpened: () => number;
	forgetConnections: () => void;
	close: () => Promise<void>;
}> {
	const open = new Set<{ client: Socket; upstream: Socket }>();
	let opened = 0;
	const relay = createServer((client) => {
		opened += 1;
		const upstream = connectTcp(server.port, server.host);
		const pair = { client, upstream };
		open.add(pair);
		client.pipe(upstream).pipe(client);
		client.on("error", () => {});
		upstream.on("error", () => {});
		client.on("close", () => {
			open.delete(pair);
			upstream.destroy();
		});
	});
	await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
	const address = relay.address();
	if (address === null || typeof address === "string")
		throw new Error("the relay has no port");
	return {
		server: { host: "127.0.0.1", port: address.port },
		connectionsOpened: () => opened,
		forgetConnections: () => {
			for (const { client, upstream } of open) {
				client.unpipe(upstream);
				upstream.unpipe(client);
				upstream.destroy();
				// Unpiped, the socket is paused: resumed, its next bytes are read.
				client.once("data", () => client.resetAndDestroy()).resume();
			}
		},
		close: () =>
			new Promise((resolve) => {
				for (const { client } of open) client.destroy();
				relay.close(() => resolve());
			}),
	};
}
