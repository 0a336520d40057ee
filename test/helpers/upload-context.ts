import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ExecutionContext } from "ava";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import { type Clock, realClock } from "../../source/client/clock.js";
import { publishRunProgress } from "../../source/client/cycle-runner.js";
import { SessionLog } from "../../source/client/session-log.js";
import { signingKeyFor } from "../../source/client/signing-keys.js";
import {
	initialState,
	StatePublisher,
} from "../../source/client/state-publisher.js";
import type { UploadContext } from "../../source/client/upload-cycle.js";
import { resolveClientLinks } from "../../source/domain/client-links.js";
import { parseClientState } from "../../source/domain/client-state.js";
import { type ClientSetup, pathsOf, uploadFolder } from "./client-setup.js";

/** What the client hands its upload cycle for STORE1, for running the cycle in the test's process. */
export async function uploadContext(
	setup: ClientSetup,
	overrides: Partial<UploadContext> = {},
): Promise<UploadContext> {
	const record = setup.store
		.getSnapshot()
		.configuration.channelDatabases.find(
			(candidate) => candidate.name === "STORE1",
		);
	if (!record) throw new Error("no STORE1");
	const store = ChannelDataStore.forRecord(
		pathsOf(setup, "STORE1").dataFolder,
		record,
	);
	await store.prepare();
	return {
		store,
		sessions: await SessionLog.open(join(setup.root, "STORE1.sessions.jsonl")),
		channelDatabase: "STORE1",
		key: await signingKeyFor(setup.db, record),
		now: () => new Date(),
		log: { info: () => {}, error: () => {} },
		progress: () => {},
		signal: new AbortController().signal,
		dataGroup: setup.group,
		folder: uploadFolder(setup, "STORE1"),
		...overrides,
	};
}

/**
 * STORE1's state file written by a real publisher on `clock`, with the
 * upload's progress going into it, and what a reader of that file (the
 * live panel, cdx status) sees as the current run.
 */
export async function publishedUpload(
	t: Pick<ExecutionContext, "fail">,
	setup: ClientSetup,
	clock: Clock = realClock,
) {
	const resolved = resolveClientLinks(
		setup.store.getSnapshot().configuration,
		"STORE1",
		clock.now(),
	);
	if (!resolved.ok) throw new Error(resolved.problem);
	const { stateFile } = pathsOf(setup, "STORE1");
	await mkdir(dirname(stateFile), { recursive: true });
	const startedAt = clock.now().toISOString();
	const publisher = new StatePublisher(
		stateFile,
		initialState(resolved.links, startedAt, null),
		clock,
		(error) => t.fail(error.message),
	);
	const published = async () => {
		await publisher.flushed();
		const parsed = parseClientState(await readFile(stateFile, "utf8"));
		if (!parsed.ok) throw new Error(parsed.problem);
		return parsed.state.currentRun;
	};
	return {
		progress: publishRunProgress(publisher, "upload", startedAt),
		published,
	};
}
