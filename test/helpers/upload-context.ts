import { join } from "node:path";
import { ChannelDataStore } from "../../source/client/channel-store.js";
import { SessionLog } from "../../source/client/session-log.js";
import { signingKeyFor } from "../../source/client/signing-keys.js";
import type { UploadContext } from "../../source/client/upload-cycle.js";
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
