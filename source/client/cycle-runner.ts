import type { RunSummary, WaitingFor } from "../domain/client-state.js";
import type { Direction } from "../domain/profile-schedule.js";
import { countOf } from "../domain/text.js";
import type { RetailServerFields } from "./channel-data/store-target.js";
import { type ChannelDataStore, storeLocation } from "./channel-store.js";
import { downloadGroupFolder, uploadDatabaseFolder } from "./client-paths.js";
import type { Clock } from "./clock.js";
import {
	type CycleContext,
	type CycleResult,
	runDownloadCycle,
} from "./download-cycle.js";
import type { Waiting } from "./download-order.js";
import { isFolder } from "./files.js";
import type { LiveConfiguration } from "./live-configuration.js";
import type { Logger } from "./logger.js";
import { publishProgress } from "./progress-file.js";
import { pruneOldData } from "./retention.js";
import type { RunNowRequests } from "./run-now.js";
import type { RunReason } from "./scheduler.js";
import type { SessionLog } from "./session-log.js";
import { signingKeyFor } from "./signing-keys.js";
import type { StatePublisher } from "./state-publisher.js";
import { runUploadCycle } from "./upload-cycle.js";

export type CycleRunnerParts = {
	databasePath: string;
	configuration: LiveConfiguration;
	store: ChannelDataStore;
	sessions: SessionLog;
	publisher: StatePublisher;
	requests: RunNowRequests;
	clock: Clock;
	log: Logger;
	/** Aborted when the client stops: a download ends after its current package. */
	stopping: AbortSignal;
};

const retentionEveryMs = 60 * 60 * 1000;

/**
 * What the scheduler calls: one download or upload cycle on the
 * configuration as it is when the run starts, published in the state file
 * as it goes, and retention at most once an hour.
 */
export function cycleRunner(parts: CycleRunnerParts) {
	const { configuration, store, sessions, publisher, clock, log } = parts;
	let lastPrunedAt = Number.NEGATIVE_INFINITY;

	const prune = async (): Promise<void> => {
		const links = configuration.links;
		lastPrunedAt = clock.now().getTime();
		try {
			const pruned = await pruneOldData({
				parameters: links.parameters,
				store,
				sessions,
				dataGroup: links.dataGroup.name,
				uploadFolder: uploadDatabaseFolder(
					links.workingFolders.uploadPath,
					links.database.name,
				),
				now: clock.now(),
			});
			if (pruned.sessions + pruned.packages + pruned.sentFiles > 0)
				log.info(
					`retention: removed ${countOf(pruned.sessions, "session")}, ${countOf(pruned.packages, "package")}, ${countOf(pruned.sentFiles, "sent outbox file")}`,
				);
		} catch (error) {
			log.error(`retention: ${(error as Error).message}`);
		}
	};

	/**
	 * Opens the channel database when the start could not (a database server
	 * that was down); a record whose Retail Server fields changed while this
	 * client runs fails the run rather than write to one store and read another.
	 */
	const openStoreOf = async (record: RetailServerFields & { name: string }) => {
		if (!store.isOpen) await store.prepare((message) => log.info(message));
		const named = storeLocation(store.root, record);
		if (named.location !== store.engine.location)
			throw new Error(
				`the Retail Server fields of channel database ${record.name} now name ${named.location}, but this client runs on ${store.engine.location}: stop the client, then move the data (cdx channel-db set ${record.name} --server … --database … --move) or set the fields back`,
			);
	};

	const cycle = async (
		direction: Direction,
		startedAt: string,
	): Promise<CycleResult> => {
		const links = configuration.links;
		const name = links.database.name;
		await openStoreOf(links.database);
		// A share that is not mounted must not look like "no data", nor be filled in on the local disk.
		const workingFolder =
			direction === "download"
				? links.workingFolders.downloadPath
				: links.workingFolders.uploadPath;
		if (!(await isFolder(workingFolder))) {
			throw new Error(
				`the ${direction} working folder ${workingFolder} is not there (a share not mounted?); tried again next run`,
			);
		}
		const common = {
			store,
			sessions,
			channelDatabase: name,
			key: await signingKeyFor(parts.databasePath, links.database),
			now: () => clock.now(),
			log,
			progress: publishRunProgress(publisher, direction, startedAt),
			signal: parts.stopping,
			dataGroup: links.dataGroup.name,
		};
		const uploadFolder = uploadDatabaseFolder(
			links.workingFolders.uploadPath,
			name,
		);
		if (direction === "upload")
			return runUploadCycle({ ...common, folder: uploadFolder });
		const result = await runDownloadCycle({
			...common,
			folder: downloadGroupFolder(
				links.workingFolders.downloadPath,
				links.dataGroup.name,
			),
			tryCount: links.parameters.tryCount,
			fullSyncRequestedAt: links.database.fullSyncRequestedAt ?? null,
		});
		// Headquarters prunes the shared download folder by what every database published here.
		try {
			await publishProgress(
				uploadFolder,
				name,
				await store.readProgress(),
				clock.now(),
			);
		} catch (error) {
			const problem = `cannot publish progress in ${uploadFolder}: ${(error as Error).message}`;
			log.error(problem);
			return {
				...result,
				status: "Failed",
				message: [result.message, problem].filter(Boolean).join("; "),
			};
		}
		return result;
	};

	const runCycle = async (
		direction: Direction,
		reason: RunReason,
	): Promise<void> => {
		// Whatever started this run also answers a pending "run now".
		const asked = await parts.requests.consume(direction);
		const startedAt = clock.now().toISOString();
		publisher.update({
			currentRun: { direction, startedAt, step: "starting", done: 0, total: 0 },
		});
		log.info(`${direction} run started (${reason})`);
		let result: CycleResult;
		try {
			result = await cycle(direction, startedAt);
		} catch (error) {
			result = {
				status: "Failed",
				packages: 0,
				rows: 0,
				message: (error as Error).message,
			};
		}
		const { waiting, ...run } = result;
		const summary: RunSummary = {
			startedAt,
			at: clock.now().toISOString(),
			...run,
		};
		publisher.update({
			currentRun: null,
			[direction === "download" ? "lastDownload" : "lastUpload"]: summary,
			...(direction === "download" && waiting !== undefined
				? {
						waitingFor: waitingSince(
							waiting,
							publisher.state.waitingFor,
							clock.now(),
						),
					}
				: {}),
		});
		const finished = `${direction} run finished: ${result.status}, ${countOf(result.packages, "package")}, ${countOf(result.rows, "row")}${result.message ? ` (${result.message})` : ""}`;
		if (result.status === "Failed") log.error(finished);
		else log.info(finished);
		if (direction === "download")
			await publishStoreFacts(store, publisher, log);
		if (asked !== null)
			publisher.answer({
				request: asked,
				action: "run-now",
				ok: result.status !== "Failed",
				message:
					result.status === "Failed"
						? `the ${direction} failed: ${result.message ?? "see the client's log"}`
						: `${direction} done: ${result.status}, ${countOf(result.packages, "package")}, ${countOf(result.rows, "row")}`,
			});
		if (clock.now().getTime() - lastPrunedAt >= retentionEveryMs) await prune();
	};

	return { runCycle, prune };
}

/** The `progress` a cycle reports through: each step goes into the state file's currentRun. */
export function publishRunProgress(
	publisher: StatePublisher,
	direction: Direction,
	startedAt: string,
): CycleContext["progress"] {
	return (step, done, total, unit) =>
		publisher.update({
			currentRun: {
				direction,
				startedAt,
				step,
				done,
				total,
				...(unit === undefined ? {} : { unit }),
			},
		});
}

/** The channel database's engine, location and watermarks, for the detail view; a failure to read them is only logged. */
export async function publishStoreFacts(
	store: ChannelDataStore,
	publisher: StatePublisher,
	log: Logger,
): Promise<void> {
	try {
		publisher.update({ channelStore: await store.facts() });
	} catch (error) {
		log.error(
			`cannot read the channel database's watermarks: ${(error as Error).message}`,
		);
	}
}

/** The state's waitingFor after a download: `since` stays while the same sequence is waited for. */
function waitingSince(
	waiting: Waiting | null,
	before: WaitingFor | null | undefined,
	now: Date,
): WaitingFor | null {
	if (waiting === null) return null;
	return {
		sequence: waiting.sequence,
		since:
			before?.sequence === waiting.sequence ? before.since : now.toISOString(),
		reason: waiting.reason,
	};
}
