import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import {
	requestRunNow,
	requestSessionAction,
	requestSkip,
	runNowRequestFile,
	sessionRequestFile,
} from "../../source/store/client-requests.js";
import { currentUser } from "../../source/store/current-user.js";
import { makeTempFolder } from "../helpers/database.js";

const now = new Date("2026-12-01T10:00:00.000Z");

test("every request to a client says what, when and who, in a state folder only its owner can enter", async (t) => {
	const stateFolder = join(await makeTempFolder(), "state");
	const runNow = await requestRunNow(stateFolder, "CDB1", "upload", now);
	const retry = await requestSessionAction(
		stateFolder,
		"CDB1",
		"download:G:3:0",
		"retry",
		now,
	);
	const skip = await requestSkip(
		stateFolder,
		"CDB1",
		7,
		"lost at headquarters",
		now,
	);
	const read = async (file: string) => JSON.parse(await readFile(file, "utf8"));
	const stamp = { requestedAt: now.toISOString(), requestedBy: currentUser() };
	t.deepEqual(await read(runNowRequestFile(stateFolder, "CDB1", "upload")), {
		id: runNow,
		direction: "upload",
		...stamp,
	});
	t.deepEqual(
		await read(sessionRequestFile(stateFolder, "CDB1", "download:G:3:0")),
		{ id: retry, action: "retry", sessionId: "download:G:3:0", ...stamp },
	);
	t.deepEqual(await read(sessionRequestFile(stateFolder, "CDB1", "skip:7")), {
		id: skip,
		action: "skip",
		sequence: 7,
		reason: "lost at headquarters",
		...stamp,
	});
	t.is(new Set([runNow, retry, skip]).size, 3);
	t.regex(currentUser(), /^[^@\s]+@[^@\s]+$/);
	t.is((await stat(stateFolder)).mode & 0o777, 0o700);
});
