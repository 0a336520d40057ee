import { execFile } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { channelDatabaseKind } from "../source/domain/channel-database.js";
import {
	applyAll,
	packagesWaiting,
	rowsPerPackage,
	tables,
	tablesOf,
} from "./lib/apply-run.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { projectRoot } from "./lib/paths.js";

const packages = Number(process.env.BENCH_POSTGRES_PACKAGES ?? 300);
const clusterScript = join(projectRoot, "scripts", "postgres-test-cluster.sh");

function clusterScriptRun(args: string[]): Promise<string> {
	return new Promise((resolve, reject) =>
		execFile("bash", [clusterScript, ...args], (error, stdout, stderr) =>
			error ? reject(new Error(stderr || error.message)) : resolve(stdout),
		),
	);
}

/** A throwaway cluster of the bench's own (the tests' script), reached over its Unix socket. */
async function startCluster() {
	const printed = await clusterScriptRun(["start"]);
	const exported = Object.fromEntries(
		[...printed.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [
			match[1],
			match[2],
		]),
	);
	const url = new URL(exported.CDX_TEST_POSTGRES ?? "");
	const socket = exported.CDX_TEST_POSTGRES_SOCKET ?? "";
	return {
		socket,
		port: Number(url.port),
		folder: exported.CDX_TEST_POSTGRES_CLUSTER ?? "",
		connect: async (database: string) => {
			const client = new pg.Client({
				host: socket,
				port: Number(url.port),
				user: "postgres",
				database,
			});
			await client.connect();
			return client;
		},
	};
}

/** The types the client gives these columns (text, decimal, integer, timestamp). */
const columns = `key text PRIMARY KEY NOT NULL, name text, price numeric, quantity bigint, "updatedAt" timestamptz`;

/**
 * The baseline: the same rows into bare tables of the same types, one
 * transaction per package, one multi-row INSERT … ON CONFLICT DO UPDATE per
 * table (keys repeat across packages, so a plain COPY would be refused): no
 * checks, no watermark, no schema reading.
 */
async function bareUpsert(
	client: pg.Client,
): Promise<{ seconds: number; rows: number }> {
	for (const table of tables)
		await client.query(`CREATE TABLE "${table}" (${columns})`);
	let rows = 0;
	const started = performance.now();
	for (let sequence = 1; sequence <= packages; sequence++) {
		await client.query("BEGIN");
		for (const [table, tableRows] of Object.entries(tablesOf(sequence))) {
			const values: unknown[] = [];
			const tuples = tableRows.map((row, index) => {
				values.push(row.key, row.name, row.price, row.quantity, row.updatedAt);
				const at = index * 5;
				return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`;
			});
			await client.query(
				`INSERT INTO "${table}" (key, name, price, quantity, "updatedAt") VALUES ${tuples.join(", ")}
				 ON CONFLICT (key) DO UPDATE SET name = excluded.name, price = excluded.price,
				 quantity = excluded.quantity, "updatedAt" = excluded."updatedAt"`,
				values,
			);
			rows += tableRows.length;
		}
		await client.query("COMMIT");
	}
	return { seconds: (performance.now() - started) / 1000, rows };
}

async function measure(): Promise<MeasurementResult> {
	progress("starting a PostgreSQL cluster (scripts/postgres-test-cluster.sh)");
	const cluster = await startCluster();
	try {
		const maintenance = await cluster.connect("postgres");
		for (const name of ["cdx_bench_client", "cdx_bench_bare"])
			await maintenance.query(`CREATE DATABASE ${name}`);
		await maintenance.end();
		// libpq's convention, as a store server's service sets it.
		process.env.PGUSER = "postgres";

		const { setup, dataFolder } = await packagesWaiting(
			packages,
			"postgres-apply",
		);
		progress("the client applies them to its SQLite file");
		const sqlite = await applyAll(setup, await dataFolder("sqlite"), []);

		// The same record, its Retail Server fields now naming the database over the socket.
		const { configuration } = setup.store.getSnapshot();
		const record = configuration.channelDatabases.find(
			(candidate) => candidate.name === setup.channelDatabase,
		);
		if (record === undefined) throw new Error("no channel database");
		const saved = await setup.store.save(
			channelDatabaseKind,
			{
				...channelDatabaseKind.toDraft(record, configuration),
				serverName: `${cluster.socket}:${cluster.port}`,
				databaseName: "cdx_bench_client",
			},
			{ id: record.id, expectedVersion: record.version },
		);
		if (!saved.ok) throw new Error("the Retail Server fields were refused");
		progress("the client applies them to PostgreSQL over the Unix socket");
		const postgres = await applyAll(setup, await dataFolder("postgresql"), []);

		progress("the same rows by bare multi-row upserts over the socket");
		const bareClient = await cluster.connect("cdx_bench_bare");
		const bare = await bareUpsert(bareClient);
		await bareClient.end();

		const postgresRate = postgres.rows / postgres.seconds;
		return {
			id: "postgres-apply",
			title: `Apply throughput on PostgreSQL: ${packages} download packages × ${rowsPerPackage} rows`,
			method: `The packages of the throughput case (${packages} of them here), applied by a fresh cdx client in its start-up download run, first to its SQLite file, then to a PostgreSQL database on a throwaway local cluster (scripts/postgres-test-cluster.sh) over its Unix socket; the time is each run's, from the state file. Baseline in the same run: the same rows into bare tables of the same column types over the same socket, one transaction per package, one multi-row INSERT … ON CONFLICT DO UPDATE per table (keys repeat across packages, so a plain COPY would be refused).`,
			figures: [
				figure("rows applied per second, PostgreSQL", postgresRate, "rows/s", {
					baseline: {
						name: "bare multi-row upsert, one transaction per package",
						value: bare.rows / bare.seconds,
					},
					target: { atLeast: 0.4, of: "ratio", text: "≥ 40 % of bare" },
				}),
				figure(
					"rows applied per second, SQLite (same packages)",
					sqlite.rows / sqlite.seconds,
					"rows/s",
				),
				figure("download run, PostgreSQL", postgres.seconds, "s"),
				figure("download run, SQLite", sqlite.seconds, "s"),
			],
			notes: [],
			details: { postgres, sqlite, bare },
		};
	} finally {
		await clusterScriptRun(["stop", cluster.folder]);
	}
}

await runMeasurement(measure);
