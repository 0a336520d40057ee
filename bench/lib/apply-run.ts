import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createDownloadPackage } from "../../source/client/download-packages.js";
import type { RunSummary } from "../../source/domain/client-state.js";
import type { PackageTables } from "../../source/domain/package-format.js";
import {
	type ClientSetup,
	makeClientSetup,
	pathsOf,
	type RunningClient,
	startClient,
	waitForState,
} from "./client-setup.js";
import { tempFolder } from "./fixtures.js";
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

/**
 * Download packages 1…count of the setup's data group, signed as `cdx
 * package create` signs them; package n holds `tablesFor(n)` (by default
 * the throughput rows).
 */
export async function createPackages(
	setup: ClientSetup,
	count: number,
	tablesFor: (sequence: number) => PackageTables = tablesOf,
): Promise<void> {
	for (let sequence = 1; sequence <= count; sequence++) {
		const created = await createDownloadPackage({
			databasePath: setup.db,
			configuration: setup.store.getSnapshot().configuration,
			dataGroup: setup.dataGroup,
			tables: tablesFor(sequence),
			now: new Date(),
		});
		if (!created.ok) throw new Error(created.problem);
		if (sequence % 100 === 0) progress(`packages created ${sequence}/${count}`);
	}
}

/**
 * How the apply cases begin: channel database STORE-1 with download
 * packages 1…count waiting (the throughput rows) and a temporary folder
 * `caseId`, in which each run gets a data folder of its own.
 */
export async function packagesWaiting(count: number, caseId: string) {
	const setup = await makeClientSetup({ name: "STORE-1" });
	const creating = performance.now();
	await createPackages(setup, count);
	const createSeconds = (performance.now() - creating) / 1000;
	const root = await tempFolder(caseId);
	return {
		setup,
		root,
		/** How long making the packages took (not the client's time). */
		createSeconds,
		/** A new, empty data folder `name` under the case's folder. */
		dataFolder: async (name: string) => {
			const folder = join(root, name);
			await mkdir(folder);
			return folder;
		},
	};
}

/**
 * A fresh client (own channel data store, no state of an earlier client, so
 * it downloads as it starts) applies every package in its start-up download
 * run; once that run Succeeded, `measure` takes what a case wants from the
 * run and the still running client, then the client stops.
 */
export async function startUpDownload<T>(
	setup: ClientSetup,
	dataFolder: string,
	options: {
		nodeOptions?: string[];
		bin?: string;
		timeoutMs: number;
		everyMs: number;
	},
	measure: (run: RunSummary, client: RunningClient) => T | Promise<T>,
): Promise<T> {
	await rm(pathsOf(setup, setup.channelDatabase).stateFile, {
		force: true,
	});
	const client: RunningClient = startClient(setup, options.nodeOptions ?? [], {
		bin: options.bin,
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
			{
				timeoutMs: options.timeoutMs,
				everyMs: options.everyMs,
				what: "the download run to end",
			},
		);
		const run = state.lastDownload;
		if (run === null) throw new Error("no download run");
		if (run.status !== "Succeeded")
			throw new Error(`the download run ended ${run.status}: ${run.message}`);
		return await measure(run, client);
	} finally {
		await client.stop();
	}
}

/** The start-up download's own time (lastDownload.startedAt to .at in the state file) and what it applied. */
export function applyAll(
	setup: ClientSetup,
	dataFolder: string,
	nodeOptions: string[],
	bin?: string,
): Promise<{ seconds: number; rows: number; packages: number }> {
	return startUpDownload(
		setup,
		dataFolder,
		{ nodeOptions, bin, timeoutMs: 3_600_000, everyMs: 250 },
		(run) => ({
			seconds: (Date.parse(run.at) - Date.parse(run.startedAt)) / 1000,
			rows: run.rows,
			packages: run.packages,
		}),
	);
}
