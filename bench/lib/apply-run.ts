import { rm } from "node:fs/promises";
import { createDownloadPackage } from "../../source/client/download-packages.js";
import type { PackageTables } from "../../source/domain/package-format.js";
import {
	type ClientSetup,
	pathsOf,
	type RunningClient,
	startClient,
	waitForState,
} from "./client-setup.js";
import { progress } from "./measurement.js";

/** The rows the apply-throughput cases send: the same for every engine and every baseline. */
export const rowsPerPackage = 1000;
export const tables = [
	"INVENTTABLE",
	"PRICEDISCTABLE",
	"CUSTTABLE",
	"RETAILASSORTMENT",
];
/** Keys per table: updates hit the same items again, as price and stock changes do. */
export const keySpace = 25_000;

/** Package n: 1,000 rows over four tables, keys walking through each table's key space. */
export function tablesOf(sequence: number): PackageTables {
	const perTable = rowsPerPackage / tables.length;
	return Object.fromEntries(
		tables.map((table, tableIndex) => [
			table,
			Array.from({ length: perTable }, (_, row) => {
				const key = ((sequence * perTable + row) * (tableIndex + 7)) % keySpace;
				return {
					key: `${table.slice(0, 3)}-${String(key).padStart(6, "0")}`,
					name: `Item ${key}`,
					price: Math.round(((key * 37) % 10_000) + sequence) / 100,
					quantity: (key * 13 + sequence) % 500,
					updatedAt: `2026-11-26T08:${String(sequence % 60).padStart(2, "0")}:00.000Z`,
				};
			}),
		]),
	);
}

/** Download packages 1…count of the setup's data group, signed as `cdx package create` signs them. */
export async function createPackages(
	setup: ClientSetup,
	count: number,
): Promise<void> {
	for (let sequence = 1; sequence <= count; sequence++) {
		const created = await createDownloadPackage({
			databasePath: setup.db,
			configuration: setup.store.getSnapshot().configuration,
			dataGroup: setup.dataGroup,
			tables: tablesOf(sequence),
			now: new Date(),
		});
		if (!created.ok) throw new Error(created.problem);
		if (sequence % 100 === 0) progress(`packages created ${sequence}/${count}`);
	}
}

/**
 * A fresh client (own channel data store) applies every package in its
 * start-up download run; the time is the run's own (lastDownload.startedAt
 * to .at in the state file).
 */
export async function applyAll(
	setup: ClientSetup,
	dataFolder: string,
	nodeOptions: string[],
	bin?: string,
): Promise<{ seconds: number; rows: number; packages: number }> {
	// No state from an earlier client: this one downloads as it starts.
	await rm(pathsOf(setup, setup.channelDatabase).stateFile, {
		force: true,
	});
	const client: RunningClient = startClient(setup, nodeOptions, {
		bin,
		extra: ["--data-dir", dataFolder],
	});
	try {
		const state = await waitForState(
			setup,
			(candidate) =>
				candidate.pid === client.child.pid &&
				candidate.lastDownload !== null &&
				Date.parse(candidate.lastDownload.startedAt) >=
					Date.parse(candidate.startedAt),
			{ timeoutMs: 3_600_000, everyMs: 250, what: "the download run to end" },
		);
		const run = state.lastDownload;
		if (run === null) throw new Error("no download run");
		if (run.status !== "Succeeded")
			throw new Error(`the download run ended ${run.status}: ${run.message}`);
		return {
			seconds: (Date.parse(run.at) - Date.parse(run.startedAt)) / 1000,
			rows: run.rows,
			packages: run.packages,
		};
	} finally {
		await client.stop();
	}
}
