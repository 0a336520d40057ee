import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import type Libsql from "libsql";
import {
	applyAll,
	keySpace,
	packagesWaiting,
	rowsPerPackage,
	tables,
	tablesOf,
} from "./lib/apply-run.js";
import { summariseProfileIn } from "./lib/cpu-profile.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";
import { projectRoot } from "./lib/paths.js";

const packages = Number(process.env.BENCH_PACKAGES ?? 1000);

/**
 * The baseline: the same rows inserted into a bare SQLite file (libsql,
 * WAL, synchronous FULL, as the client opens it), one transaction per
 * package, one prepared INSERT OR REPLACE per row; no checks, no watermark.
 */
function bareSqliteInsert(file: string): { seconds: number; rows: number } {
	const Database = createRequire(import.meta.url)("libsql") as typeof Libsql;
	const connection = new Database(file);
	connection.pragma("journal_mode = WAL");
	connection.pragma("synchronous = FULL");
	const inserts = new Map<string, Libsql.Statement>();
	for (const table of tables) {
		connection.exec(
			`CREATE TABLE ${table} (key TEXT PRIMARY KEY NOT NULL, name TEXT, price DECIMAL, quantity INTEGER, updatedAt TIMESTAMP)`,
		);
		inserts.set(
			table,
			connection.prepare(
				`INSERT OR REPLACE INTO ${table} (key, name, price, quantity, updatedAt) VALUES (?, ?, ?, ?, ?)`,
			),
		);
	}
	let rows = 0;
	const started = performance.now();
	for (let sequence = 1; sequence <= packages; sequence++) {
		connection.exec("BEGIN IMMEDIATE");
		for (const [table, tableRows] of Object.entries(tablesOf(sequence))) {
			const insert = inserts.get(table) as Libsql.Statement;
			for (const row of tableRows) {
				insert.run(row.key, row.name, row.price, row.quantity, row.updatedAt);
				rows += 1;
			}
		}
		connection.exec("COMMIT");
	}
	const seconds = (performance.now() - started) / 1000;
	connection.close();
	return { seconds, rows };
}

/** The bundle as `npm run build` makes it, but not minified: a profile then names functions. */
async function readableBuild(): Promise<string> {
	// Beside the real bin, so it finds node_modules (libsql loads from there at run time).
	const outfile = join(projectRoot, "dist", "cdx.readable.js");
	await build({
		entryPoints: [join(projectRoot, "source", "cli.tsx")],
		bundle: true,
		platform: "node",
		format: "esm",
		target: "node20",
		outfile,
		define: { "process.env.NODE_ENV": '"production"', fetch: "undefined" },
		external: ["./devtools.js"],
		banner: {
			js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);',
		},
		logLevel: "warning",
	});
	return outfile;
}

async function measure(): Promise<MeasurementResult> {
	const { setup, root, createSeconds, dataFolder } = await packagesWaiting(
		packages,
		"throughput-data",
	);
	progress("applying with the built cdx");
	const plain = await applyAll(setup, await dataFolder("plain"), []);
	progress(
		`applied ${plain.rows} rows in ${plain.seconds} s; again under --cpu-prof`,
	);
	const profiles = join(root, "profiles");
	const profiledFolder = await dataFolder("profiled");
	const readable = await readableBuild();
	const profiled = await applyAll(
		setup,
		profiledFolder,
		["--cpu-prof", "--cpu-prof-dir", profiles],
		readable,
	);
	await rm(readable, { force: true });
	const profile = await summariseProfileIn(profiles, 15);
	const rowsPerSecond = plain.rows / plain.seconds;
	progress("the same rows into a bare SQLite file");
	const bare = bareSqliteInsert(join(root, "bare.sqlite"));
	const bareRowsPerSecond = bare.rows / bare.seconds;
	return {
		id: "throughput",
		title: `Client throughput: ${packages} download packages × ${rowsPerPackage} rows`,
		method: `${packages} signed download packages made with createDownloadPackage (what cdx package create does), ${rowsPerPackage} rows each over ${tables.length} tables whose keys repeat within ${keySpace.toLocaleString("en")} per table (tables grow to ${(keySpace * tables.length).toLocaleString("en")} rows). A fresh cdx client applies them all to its SQLite channel database in its start-up download run; the time is that run's, from the state file. Baseline: the same rows inserted into a bare SQLite file (libsql, WAL, synchronous FULL), one transaction per package, one INSERT OR REPLACE per row. Then the same again with an unminified build under node --cpu-prof, for the profile.`,
		figures: [
			figure("rows applied per second", rowsPerSecond, "rows/s", {
				baseline: {
					name: "bare SQLite insert, one transaction per package",
					value: bareRowsPerSecond,
				},
				target: { atLeast: 0.5, of: "ratio", text: "≥ 50 % of bare SQLite" },
			}),
			figure(
				"packages applied per second",
				plain.packages / plain.seconds,
				"packages/s",
			),
			figure("download run", plain.seconds, "s"),
			figure("under the profiler", profiled.seconds, "s"),
			figure("making the packages (not the client)", createSeconds, "s"),
		],
		notes: [],
		details: { run: plain, profiledRun: profiled, bare, profile },
	};
}

await runMeasurement(measure);
