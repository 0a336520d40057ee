import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { removeLeftoverTemporaryFiles } from "../store/atomic-write.js";
import { ChannelDataStore } from "./channel-store.js";
import {
	adoptFilesNamedByName,
	type ClientPaths,
	clientPaths,
	uploadDatabaseFolder,
} from "./client-paths.js";
import { type Clock, realClock } from "./clock.js";
import { cycleRunner, publishStoreFacts } from "./cycle-runner.js";
import { LiveConfiguration } from "./live-configuration.js";
import { createLogger, type Logger } from "./logger.js";
import {
	acquireClientLock,
	type ClientLock,
	lockOwner,
} from "./process-lock.js";
import { RunNowRequests } from "./run-now.js";
import { type SchedulePlan, Scheduler } from "./scheduler.js";
import { SessionLog } from "./session-log.js";
import { handleSessionRequests } from "./session-request-handler.js";
import { SessionRequests } from "./session-requests.js";
import { isRealFolder } from "./shared-files.js";
import { signingKeyFor } from "./signing-keys.js";
import {
	initialState,
	previousState,
	StatePublisher,
} from "./state-publisher.js";

export type ClientOptions = {
	databasePath: string;
	/** The Channel database ID to run for. */
	channelDatabase: string;
	/** The channel data store; default <db folder>/channels/<ID>/. */
	dataFolder?: string;
	/** Log here instead of stderr. */
	logFile?: string;
	clock?: Clock;
	/** Aborting it stops the client: the current step finishes, no new run starts. */
	stop: AbortSignal;
};

/** The client would not start: `exitCode` 2 for configuration to fix, 1 for the rest. */
export class ClientRefusal extends Error {
	override name = "ClientRefusal";
	constructor(
		message: string,
		readonly exitCode: 1 | 2,
	) {
		super(message);
	}
}

/** Runs the Async Client of one channel database until `options.stop` aborts. */
export async function runClient(options: ClientOptions): Promise<void> {
	const clock = options.clock ?? realClock;
	if (!existsSync(options.databasePath))
		throw new ClientRefusal(
			`${options.databasePath}: no configuration database here (pass --db, or set $CDX_DB)`,
			2,
		);
	const opened = await LiveConfiguration.open(
		options.databasePath,
		options.channelDatabase,
		clock,
	);
	if (!opened.ok) throw new ClientRefusal(opened.problem, 2);
	const configuration = opened.configuration;
	const name = configuration.links.database.name;
	const paths = clientPaths(
		options.databasePath,
		configuration.links.database,
		options.dataFolder,
	);
	await mkdir(paths.stateFolder, { recursive: true, mode: 0o700 });
	const log = createLogger(name, options.logFile, () => clock.now());
	const startedAt = clock.now().toISOString();
	const acquired = await acquireClientLock(
		paths.lockFile,
		await lockOwner(startedAt),
	);
	if (!acquired.ok) {
		const owner = acquired.owner;
		throw new ClientRefusal(
			`another cdx client is already running for channel database "${name}"${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : ""}; stop it first (lock: ${paths.lockFile})`,
			1,
		);
	}
	try {
		try {
			await signingKeyFor(options.databasePath, configuration.links.database);
		} catch (error) {
			throw new ClientRefusal((error as Error).message, 2);
		}
		await runWithLock(
			options,
			configuration,
			paths,
			acquired.lock,
			log,
			clock,
			startedAt,
		);
	} finally {
		configuration.stop();
		await acquired.lock.release();
	}
}

async function runWithLock(
	options: ClientOptions,
	configuration: LiveConfiguration,
	paths: ClientPaths,
	lock: ClientLock,
	log: Logger,
	clock: Clock,
	startedAt: string,
): Promise<void> {
	const name = configuration.links.database.name;
	for (const move of await adoptFilesNamedByName(
		options.databasePath,
		configuration.links.database,
		paths,
		options.dataFolder !== undefined,
	))
		log.info(`named by record id now: ${move}`);
	const store = ChannelDataStore.forRecord(
		paths.dataFolder,
		configuration.links.database,
	);
	// A database server not up yet (or refusing) fails each run with the reason, until it answers.
	await store
		.prepare((message) => log.info(message))
		.catch((error: Error) => {
			log.error(`${error.message}; each run tries again`);
		});
	// Our folder in the upload working folder is ours alone: clear what a kill left half written.
	const uploadFolder = uploadDatabaseFolder(
		configuration.links.workingFolders.uploadPath,
		name,
	);
	try {
		if (await isRealFolder(uploadFolder))
			await removeLeftoverTemporaryFiles(uploadFolder);
	} catch (error) {
		log.error((error as Error).message);
	}
	const sessions = await SessionLog.open(paths.sessionLog);
	const previous = await previousState(paths.stateFile);
	const iso = (date: Date | null) => date?.toISOString() ?? null;
	const publisher = new StatePublisher(
		paths.stateFile,
		initialState(configuration.links, startedAt, previous),
		clock,
		(error) => log.error(`cannot write ${paths.stateFile}: ${error.message}`),
		() => void lock.touch(),
	);
	const requests = new RunNowRequests(paths.stateFolder, paths.fileKey);
	const sessionRequests = new SessionRequests(paths.stateFolder, paths.fileKey);
	const stopping = new AbortController();
	const { runCycle, prune } = cycleRunner({
		databasePath: options.databasePath,
		configuration,
		store,
		sessions,
		publisher,
		requests,
		clock,
		log,
		stopping: stopping.signal,
	});

	const planned = (plan: SchedulePlan) =>
		publisher.update({
			nextDownloadAt: iso(plan.download),
			nextUploadAt: iso(plan.upload),
		});
	const scheduler = new Scheduler({
		clock,
		schedules: configuration.links.schedules,
		lastRunAt: {
			download: dateOrNull(previous?.lastDownload?.startedAt),
			upload: dateOrNull(previous?.lastUpload?.startedAt),
		},
		runCycle,
		runNowRequested: (direction) => requests.pending(direction),
		requests: {
			pending: () => sessionRequests.pending(),
			handle: () =>
				handleSessionRequests({
					requests: sessionRequests,
					sessions,
					store,
					links: () => configuration.links,
					now: () => clock.now(),
					log,
					publisher,
				}),
		},
		onPlanChanged: planned,
	});
	planned(scheduler.plan);
	await publishStoreFacts(store, publisher, log);

	configuration.onChange(() => {
		const links = configuration.links;
		const changed = scheduler.setSchedules(links.schedules);
		const problem = configuration.problem;
		if (problem !== publisher.state.configProblem)
			problem === null
				? log.info("configuration readable again")
				: log.error(problem);
		publisher.update({
			configProblem: problem,
			profile: links.profile.name,
			dataGroup: links.dataGroup.name,
			...(changed
				? {
						scheduleChangedAt: clock.now().toISOString(),
						schedules: links.schedules,
					}
				: {}),
		});
		if (changed)
			log.info(
				`new schedule: next download ${iso(scheduler.plan.download)}, next upload ${iso(scheduler.plan.upload)}`,
			);
	});
	const stop = () => {
		log.info("stopping: finishing the current step");
		stopping.abort();
		scheduler.stop();
	};
	options.stop.addEventListener("abort", stop, { once: true });

	try {
		requests.start(() => scheduler.wake());
		sessionRequests.start(() => scheduler.wake());
		configuration.start();
		publisher.startHeartbeat();
		await prune();
		log.info(
			`started (pid ${process.pid}): profile ${configuration.links.profile.name}, data group ${configuration.links.dataGroup.name}, next download ${iso(scheduler.plan.download)}, next upload ${iso(scheduler.plan.upload)}`,
		);
		if (options.stop.aborted) stop();
		await scheduler.run();
	} finally {
		options.stop.removeEventListener("abort", stop);
		requests.stop();
		sessionRequests.stop();
		configuration.stop();
		await sessions.flushed();
		await store.close();
		await publisher.stop({
			currentRun: null,
			stoppedAt: clock.now().toISOString(),
		});
		log.info("stopped");
	}
}

function dateOrNull(text: string | undefined): Date | null {
	return text === undefined ? null : new Date(text);
}
