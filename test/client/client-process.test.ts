import { access, readFile, writeFile } from "node:fs/promises";
import test from "ava";
import { profileKind } from "../../source/domain/profile.js";
import { nextRun } from "../../source/domain/schedule.js";
import { runCdx } from "../helpers/cdx.js";
import {
	readState,
	startClient,
	startsClientProcesses,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import { makeClientSetup, pathsOf } from "../helpers/client-setup.js";

startsClientProcesses(test);

test("SIGTERM stops the client: exit 0, state says stopped, lock released", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	await access(pathsOf(setup, "STORE1").lockFile);
	// How fast is `npm run bench`'s business; the client's own 3 s "handle
	// left open" exit would show in stderr, checked below.
	const { code } = await stopClient(client);
	t.is(code, 0, client.stderr());
	const state = await readState(setup, "STORE1");
	t.truthy(state?.stoppedAt);
	t.is(state?.currentRun, null);
	await t.throwsAsync(access(pathsOf(setup, "STORE1").lockFile));
	t.regex(client.stderr(), /info STORE1: stopped\n$/);
	t.notRegex(client.stderr(), /handle was left open|secret for STORE1/);
});

test("a second client for the same channel database is refused with exit 1", async (t) => {
	const setup = await makeClientSetup();
	const { client: first } = await startIdleClient(t, setup);
	const second = startClient(setup, "STORE1");
	const { code } = await second.exited;
	t.is(code, 1);
	t.regex(
		second.stderr(),
		new RegExp(
			`^cdx: another cdx client is already running for channel database "STORE1" \\(pid ${first.child.pid} `,
		),
	);
	t.is(
		(await readState(setup, "STORE1"))?.pid,
		first.child.pid,
		"the first one's state is untouched",
	);
	t.is((await stopClient(first)).code, 0);
});

test("refuses to start, exit 2, naming the record to fix when a link is missing", async (t) => {
	const setup = await makeClientSetup();
	const unknown = runCdx([
		"client",
		"--channel-db",
		"STORE9",
		"--db",
		setup.db,
	]);
	t.is(unknown.status, 2);
	t.is(
		unknown.stderr,
		'cdx: Channel database "STORE9" does not exist; add it on the Channel database form (or check --channel-db)\n',
	);
	const text = await readFile(setup.db, "utf8");
	const configuration = JSON.parse(text);
	configuration.dataGroups[0].workingFoldersId = "deleted";
	await writeFile(setup.db, JSON.stringify(configuration));
	const broken = runCdx(["client", "--channel-db", "STORE1", "--db", setup.db]);
	t.is(broken.status, 2);
	t.regex(
		broken.stderr,
		/^cdx: Channel data group "GROUP-A" has no working folders .* Channel data group form\n$/,
	);
});

test("a saved profile change moves nextDownloadAt in the state file", async (t) => {
	const setup = await makeClientSetup();
	const { client, idle: before } = await startIdleClient(t, setup);
	const profile = setup.store.getSnapshot().configuration.profiles[0];
	if (!profile) throw new Error("no profile");
	const savedAt = Date.now();
	const outcome = await setup.store.save(
		profileKind,
		{
			...profileKind.toDraft(profile, setup.store.getSnapshot().configuration),
			downloadIntervalMinutes: "5",
		},
		{ id: profile.id, expectedVersion: profile.version },
	);
	t.true(outcome.ok);
	// Waits for the client to confirm the change, not for the time to move:
	// from 23:55 UTC the next 5-minute run is the daily run's own midnight.
	const after = await waitForState(
		setup,
		"STORE1",
		(state) => Date.parse(state.scheduleChangedAt ?? "") >= savedAt,
		"scheduleChangedAt after the save",
	);
	const expected = nextRun(
		{ mode: "interval", intervalMinutes: 5 },
		new Date(after.scheduleChangedAt ?? ""),
	).toISOString();
	// How soon is measured by `npm run bench` (edit-to-panel).
	t.is(after.nextDownloadAt, expected);
	t.is(after.nextUploadAt, before.nextUploadAt);
	t.is((await stopClient(client)).code, 0);
});

test("an unreadable db.json keeps the last good configuration and says so in the state", async (t) => {
	const setup = await makeClientSetup();
	const { client, idle: before } = await startIdleClient(t, setup);
	const good = await readFile(setup.db, "utf8");
	await writeFile(setup.db, "{ half a file");
	const broken = await waitForState(
		setup,
		"STORE1",
		(state) => state.configProblem !== null,
		"configProblem",
	);
	t.regex(
		broken.configProblem ?? "",
		/not valid JSON.*running on the last good configuration/,
	);
	t.is(broken.nextDownloadAt, before.nextDownloadAt);
	await writeFile(setup.db, good);
	await waitForState(
		setup,
		"STORE1",
		(state) => state.configProblem === null,
		"the problem to clear",
	);
	t.is((await stopClient(client)).code, 0);
});
