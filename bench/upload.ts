import { randomBytes } from "node:crypto";
import { open, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type Libsql from "libsql";
import {
	ChannelDataStore,
	databaseFileName,
} from "../source/client/channel-store.js";
import { SessionLog } from "../source/client/session-log.js";
import { runUploadCycle } from "../source/client/upload-cycle.js";
import { tempFolder } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";

const rows = 300_000;
const rowsPerPackage = 50_000;
const Database = createRequire(import.meta.url)("libsql") as typeof Libsql;

/** What a POS leaves for upload: `rows` sales with their replication counters, in one SQLite file. */
function writeSales(file: string): void {
	const pos = new Database(file);
	pos.pragma("journal_mode = WAL");
	pos.exec(
		"CREATE TABLE SALES (key TEXT PRIMARY KEY NOT NULL, store TEXT, amount DECIMAL, quantity INTEGER, soldAt TIMESTAMP, REPLICATIONCOUNTERFROMORIGIN INTEGER)",
	);
	const insert = pos.prepare("INSERT INTO SALES VALUES (?, ?, ?, ?, ?, ?)");
	pos.exec("BEGIN");
	for (let index = 1; index <= rows; index++)
		insert.run(
			`T${index}`,
			"STORE-1",
			(index % 10_000) / 100,
			index % 12,
			"2026-12-01T10:00:00.000Z",
			index,
		);
	pos.exec("COMMIT");
	pos.close();
}

/**
 * The baseline: read the same rows from SQLite in the same chunks and write
 * each chunk's JSON durably, nothing else (no package envelope, checksum or
 * signature, no watermark).
 */
async function readAndWrite(file: string, folder: string): Promise<number> {
	const connection = new Database(file);
	const select = connection.prepare(
		"SELECT * FROM SALES WHERE REPLICATIONCOUNTERFROMORIGIN > ? ORDER BY REPLICATIONCOUNTERFROMORIGIN LIMIT ?",
	);
	const started = performance.now();
	let after = 0;
	for (let part = 1; ; part++) {
		const chunk = select.all(after, rowsPerPackage) as Record<
			string,
			unknown
		>[];
		if (chunk.length === 0) break;
		after = Number(chunk.at(-1)?.REPLICATIONCOUNTERFROMORIGIN);
		const handle = await open(join(folder, `${part}.json`), "w");
		await handle.writeFile(
			JSON.stringify({ tables: { SALES: chunk } }, null, "\t"),
		);
		await handle.sync();
		await handle.close();
	}
	const seconds = (performance.now() - started) / 1000;
	connection.close();
	return seconds;
}

async function measure(): Promise<MeasurementResult> {
	const dataFolder = await tempFolder("upload-data");
	const file = join(dataFolder, databaseFileName);
	progress(`writing ${rows.toLocaleString("en")} sales as a POS would`);
	writeSales(file);
	const baselineFolder = await tempFolder("upload-baseline");
	const baseline = await readAndWrite(file, baselineFolder);

	const store = new ChannelDataStore(dataFolder);
	await store.prepare();
	const uploadFolder = await tempFolder("upload-folder");
	const sessionsFile = join(
		await tempFolder("upload-sessions"),
		"sessions.jsonl",
	);
	await writeFile(sessionsFile, "");
	progress("uploading them with the client's upload cycle");
	const started = performance.now();
	const result = await runUploadCycle({
		store,
		sessions: await SessionLog.open(sessionsFile),
		channelDatabase: "STORE-1",
		key: randomBytes(32),
		now: () => new Date(),
		log: { info: () => {}, error: () => {} },
		progress: () => {},
		signal: new AbortController().signal,
		dataGroup: "GROUP-1",
		folder: uploadFolder,
		maxRowsPerPackage: rowsPerPackage,
	});
	const seconds = (performance.now() - started) / 1000;
	await store.close();
	if (result.status !== "Succeeded" || result.rows !== rows)
		throw new Error(
			`the upload ended ${result.status} with ${result.rows} rows: ${result.message}`,
		);
	return {
		id: "upload",
		title: `Upload of ${rows.toLocaleString("en")} new rows from the channel database`,
		method: `A POS table of ${rows.toLocaleString("en")} rows with replication counters in the SQLite channel database; the client's upload cycle (in process) makes signed packages of ${rowsPerPackage.toLocaleString("en")} rows and moves the counters. Baseline, same run: reading the same rows from SQLite in the same chunks and writing each chunk's JSON durably.`,
		figures: [
			figure("rows uploaded per second", rows / seconds, "rows/s", {
				baseline: {
					name: "read from SQLite + write the bytes",
					value: rows / baseline,
				},
				target: {
					atLeast: 0.5,
					of: "ratio",
					text: "≥ 50 % of reading and writing the rows",
				},
			}),
			figure("upload run", seconds, "s"),
			figure("packages", result.packages, "packages"),
		],
		notes: [],
		details: { seconds, baselineSeconds: baseline },
	};
}

await runMeasurement(measure);
