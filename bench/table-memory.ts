import { readFile } from "node:fs/promises";
import { ChannelDataStore } from "../source/client/channel-store.js";
import type { PackageTables } from "../source/domain/package-format.js";
import { createPackages, startUpDownload } from "./lib/apply-run.js";
import { type ClientSetup, makeClientSetup } from "./lib/client-setup.js";
import { tempFolder } from "./lib/fixtures.js";
import {
	figure,
	type MeasurementResult,
	progress,
	runMeasurement,
} from "./lib/measurement.js";

const largeRows = 1_000_000;
const packages = 50;
const rowsPerPackage = 1000;

const stockRows = (from: number, count: number, version: number) =>
	Array.from({ length: count }, (_, index) => ({
		key: `ITEM-${String(from + index).padStart(7, "0")}`,
		name: `Item ${from + index}`,
		quantity: (from + index + version) % 500,
		price: ((from + index) % 10_000) / 100,
	}));

/** A data folder whose channel database already holds `rows` rows of STOCK. */
async function dataFolderWith(rows: number): Promise<string> {
	const folder = await tempFolder(`table-memory-${rows}`);
	const store = new ChannelDataStore(folder);
	await store.prepare();
	for (let from = 0; from < rows; from += 100_000) {
		const tables: PackageTables = {
			STOCK: stockRows(from, Math.min(100_000, rows - from), 0),
		};
		await store.applyPackage(tables, undefined, {
			formatVersion: 1,
			groups: {},
			lastFullSyncAt: null,
		});
		progress(
			`STOCK: ${Math.min(rows, from + 100_000).toLocaleString("en")} rows`,
		);
	}
	await store.close();
	return folder;
}

/** Peak resident memory of the client (VmHWM) once it applied every package at start-up. */
function peakWhileApplying(
	setup: ClientSetup,
	dataFolder: string,
): Promise<number> {
	return startUpDownload(
		setup,
		dataFolder,
		{ timeoutMs: 600_000, everyMs: 100 },
		async (_run, client) => {
			const status = await readFile(`/proc/${client.child.pid}/status`, "utf8");
			const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
			return kib / 1024;
		},
	);
}

async function measure(): Promise<MeasurementResult> {
	const setup = await makeClientSetup({ name: "STORE-1" });
	// Spread over the large table's keys: updates, not only inserts.
	await createPackages(setup, packages, (sequence) => ({
		STOCK: stockRows(
			(sequence * 19_997) % (largeRows - rowsPerPackage),
			rowsPerPackage,
			sequence,
		),
	}));
	const empty = await dataFolderWith(0);
	const large = await dataFolderWith(largeRows);
	progress("client on an empty table");
	const emptyPeak = await peakWhileApplying(setup, empty);
	progress("client on a 1,000,000-row table");
	const largePeak = await peakWhileApplying(setup, large);
	return {
		id: "table-memory",
		title: "Client memory with a 1,000,000-row table",
		method: `A client applies ${packages} packages of ${rowsPerPackage} rows (updates spread over the table's keys) in its start-up run, once with STOCK empty and once with STOCK holding ${largeRows.toLocaleString("en")} rows; peak resident memory (VmHWM) of the client process after the run.`,
		figures: [
			figure("peak RSS with 1,000,000 rows", largePeak, "MiB", {
				baseline: { name: "peak RSS with an empty table", value: emptyPeak },
				target: { atMost: 1.5, of: "ratio", text: "≤ 1.5× the empty table" },
			}),
		],
		notes: [],
	};
}

await runMeasurement(measure);
