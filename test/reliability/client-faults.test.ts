import { open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { isTemporaryName } from "../../source/client/files.js";
import {
	buildPackage,
	packageFileName,
	packageText,
} from "../../source/domain/package-format.js";
import type { SessionEvent } from "../../source/domain/session-events.js";
import {
	type RunningClient,
	readSessions,
	readState,
	readTable,
	runNow,
	startsClientProcesses,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	assertDownloadNowApplies,
	startIdleClient,
} from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	groupFolder,
	makeClientSetup,
	uploadFolder,
	writeOutbox,
	writePackageFile,
} from "../helpers/client-setup.js";
import {
	mountTmpfs,
	testNeeding,
	tmpfsUnavailable,
} from "../helpers/mounts.js";
import { waitUntil } from "../helpers/wait.js";

startsClientProcesses(test);

// A full share and a read-only state folder are a tmpfs of their own. Where
// this process may not mount one, those tests are skipped, and say why.
const mountTest = testNeeding(tmpfsUnavailable());

/** Each package applied at most once, and the ones given applied exactly once. */
function assertAppliedOnce(
	t: ExecutionContext,
	sessions: SessionEvent[],
	sequences: number[],
): void {
	const applied = sessions
		.filter((session) => session.status === "Applied")
		.map((session) => session.sequence);
	t.deepEqual(applied, sequences, "each package applied once, in order");
}

/** The client is alive, and its heartbeat moved after `since`. */
async function assertStillRunning(
	t: ExecutionContext,
	setup: ClientSetup,
	client: RunningClient,
	since: number,
): Promise<void> {
	t.is(client.child.exitCode, null, "the client process is still running");
	await waitForState(
		setup,
		"STORE1",
		(state) => Date.parse(state.heartbeatAt) > since,
		"a heartbeat after the fault",
	);
}

/** The share goes away (unmounted, a network outage), as a folder renamed away. */
async function shareGone(setup: ClientSetup): Promise<() => Promise<void>> {
	const share = join(setup.root, "hq");
	await rename(share, `${share}.away`);
	return () => rename(`${share}.away`, share);
}

test("the working folders vanish while the client runs: it keeps running, and applies and uploads once they are back", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	t.like(await runNow(setup, "STORE1", "download"), { packages: 1 });

	const comeBack = await shareGone(setup);
	const gone = Date.now();
	const during = await runNow(setup, "STORE1", "download");
	t.log(
		`download with the working folders gone: ${during.status} (${during.message ?? "no message"})`,
	);
	await assertStillRunning(t, setup, client, gone);

	await comeBack();
	await createPackage(setup, { PRICES: [{ key: "B", price: 2 }] });
	await writeOutbox(setup, "STORE1", "sale-1.json", {
		SALES: [{ key: "T1", amount: 5 }],
	});
	await assertDownloadNowApplies(t, setup, {
		packages: 1,
		holds: {
			A: { key: "A", price: 1 },
			B: { key: "B", price: 2 },
		},
	});
	t.like(await runNow(setup, "STORE1", "upload"), {
		status: "Succeeded",
		packages: 1,
	});
	t.like(await runNow(setup, "STORE1", "upload"), { status: "No data" });
	assertAppliedOnce(t, await readSessions(setup, "STORE1"), [1, 2]);
	t.deepEqual(
		(await readdir(uploadFolder(setup, "STORE1"))).filter(
			(name) => name !== "progress.json",
		),
		[packageFileName(1)],
	);
	t.is((await stopClient(client)).code, 0);
});

// Shares that vanish or are reset at headquarters: reported, never silent.

test("a download working folder that is gone is reported, not read as no data", async (t) => {
	const setup = await makeClientSetup();
	await startIdleClient(t, setup);
	await shareGone(setup);
	const run = await runNow(setup, "STORE1", "download");
	t.not(run.message, null, `the run said: ${run.status}`);
});

test("an upload while the upload working folder is gone waits for it, instead of recreating the share's path on the local disk", async (t) => {
	const setup = await makeClientSetup();
	await startIdleClient(t, setup);
	await shareGone(setup);
	await writeOutbox(setup, "STORE1", "sale-1.json", {
		SALES: [{ key: "T1", amount: 5 }],
	});
	const run = await runNow(setup, "STORE1", "upload");
	t.is(run.status, "Failed");
	t.false(
		(await readdir(setup.root)).includes("hq"),
		"the share's mount point was not filled in locally",
	);
});

test("packages headquarters creates after the download folder was wiped are applied or reported, not silently skipped", async (t) => {
	const setup = await makeClientSetup();
	await startIdleClient(t, setup);
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	t.like(await runNow(setup, "STORE1", "download"), { packages: 1 });
	// The share is wiped: with it goes sequence.json, so numbering starts at 1 again.
	await rm(groupFolder(setup), { recursive: true });
	await createPackage(setup, { PRICES: [{ key: "B", price: 2 }] });
	const run = await runNow(setup, "STORE1", "download");
	const applied = Object.keys(await readTable(setup, "STORE1", "PRICES"));
	t.true(
		applied.includes("B") || run.message !== null,
		`the run said ${run.status} and nothing else; PRICES holds ${applied.join(", ")}`,
	);
});

test("a package still being written under a temporary name is not touched; once renamed it is applied, once", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	// What `cdx package create` would write, written slowly by another process.
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	const complete = await readFile(
		join(groupFolder(setup), packageFileName(1)),
		"utf8",
	);
	await rm(join(groupFolder(setup), packageFileName(1)));
	const temporary = join(groupFolder(setup), `.${packageFileName(1)}.tmp`);
	const writer = await open(temporary, "w");
	await writer.write(complete.slice(0, complete.length / 2));

	t.like(await runNow(setup, "STORE1", "download"), {
		status: "No data",
		packages: 0,
	});
	t.deepEqual(await readSessions(setup, "STORE1"), [], "no session for it");
	t.true(
		(await readdir(groupFolder(setup))).includes(`.${packageFileName(1)}.tmp`),
		"left where it is, not quarantined",
	);

	await writer.write(complete.slice(complete.length / 2));
	await writer.sync();
	await writer.close();
	await rename(temporary, join(groupFolder(setup), packageFileName(1)));
	t.like(await runNow(setup, "STORE1", "download"), {
		status: "Succeeded",
		packages: 1,
	});
	t.like(await runNow(setup, "STORE1", "download"), { status: "No data" });
	assertAppliedOnce(t, await readSessions(setup, "STORE1"), [1]);
	t.is((await stopClient(client)).code, 0);
});

test("a truncated package is quarantined with the reason in its session; the package sent again is applied once", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	const pkg = await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	const name = packageFileName(1);
	const text = packageText(pkg);
	await writePackageFile(setup, 1, text.slice(0, text.length - 40));

	const run = await runNow(setup, "STORE1", "download");
	t.like(run, { status: "Failed", packages: 0 });
	t.regex(run.message ?? "", /unreadable: not valid JSON/);
	const [session] = await readSessions(setup, "STORE1");
	t.like(session, { sequence: 1, status: "Download failed" });
	t.regex(session?.error ?? "", /unreadable: not valid JSON.*set aside as/);
	const quarantine = await readdir(join(groupFolder(setup), "quarantine"));
	t.deepEqual(quarantine.sort(), [name, `${name}.reason.txt`]);
	t.deepEqual(
		await readTable(setup, "STORE1", "PRICES"),
		{},
		"nothing applied",
	);

	await writePackageFile(setup, 1, text);
	t.like(await runNow(setup, "STORE1", "download"), {
		status: "Succeeded",
		packages: 1,
	});
	assertAppliedOnce(t, await readSessions(setup, "STORE1"), [1]);
	t.is((await stopClient(client)).code, 0);
});

test("a package that claims a sequence other than its file name, or is signed for nobody here, is never applied", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	const unsigned = buildPackage(
		{
			kind: "download",
			dataGroup: setup.group,
			channelDatabase: null,
			sequence: 1,
			createdAt: new Date().toISOString(),
			tables: { PRICES: [{ key: "A", price: 666 }] },
			sources: [],
		},
		new Map(),
	);
	await writePackageFile(setup, 1, packageText(unsigned));
	const run = await runNow(setup, "STORE1", "download");
	t.like(run, { status: "Failed", packages: 0 });
	t.deepEqual(await readTable(setup, "STORE1", "PRICES"), {});
	t.is((await stopClient(client)).code, 0);
});

mountTest(
	"a full upload folder: the upload fails and says why, nothing is lost, and it uploads once when there is room",
	async (t) => {
		const setup = await makeClientSetup();
		const share = await mountTmpfs(64 * 1024, setup.uploadPath);
		t.teardown(() => share.unmount());
		const { client } = await startIdleClient(t, setup);
		const filler = join(setup.uploadPath, "filler");
		const handle = await open(filler, "w");
		await handle
			.write(Buffer.alloc(64 * 1024 - 4096, 1))
			.catch(() => undefined);
		await handle.close();
		// Enough rows that the package cannot fit in what is left.
		const rows = Array.from({ length: 200 }, (_, index) => ({
			key: `T${index}`,
			amount: index,
		}));
		await writeOutbox(setup, "STORE1", "sale-1.json", { SALES: rows });

		const full = await runNow(setup, "STORE1", "upload");
		t.like(full, { status: "Failed", packages: 0 });
		t.regex(full.message ?? "", /ENOSPC/);
		const [failed] = await readSessions(setup, "STORE1");
		t.like(failed, { direction: "upload", status: "Upload failed" });
		t.regex(failed?.error ?? "", /ENOSPC.*tried again next run/);
		t.deepEqual(
			(await readdir(uploadFolder(setup, "STORE1"))).filter(
				(name) => !isTemporaryName(name) && name !== "progress.json",
			),
			[],
			"no half package in the share",
		);

		await rm(filler);
		t.like(await runNow(setup, "STORE1", "upload"), {
			status: "Succeeded",
			packages: 1,
			rows: 200,
		});
		t.like(await runNow(setup, "STORE1", "upload"), { status: "No data" });
		const sessions = await readSessions(setup, "STORE1");
		t.deepEqual(
			sessions.map((session) => [session.sequence, session.status]),
			[[1, "Uploaded"]],
			"one upload session, now uploaded",
		);
		t.deepEqual(await readdir(uploadFolder(setup, "STORE1")), [
			packageFileName(1),
			"progress.json",
		]);
		t.is((await stopClient(client)).code, 0);
	},
);

mountTest(
	"the state folder turns read-only: the client keeps running and logs it, then catches up when it is writable again",
	async (t) => {
		const setup = await makeClientSetup();
		// chmod does not stop root: the state folder is a file system of its own.
		const stateFolder = join(setup.root, "state");
		const state = await mountTmpfs(4 * 1024 * 1024, stateFolder);
		t.teardown(() => state.unmount());
		const { client } = await startIdleClient(t, setup);

		state.setReadOnly(true);
		const frozen = Date.now();
		await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
		await waitUntil(
			() => /error STORE1: cannot write .*EROFS/.test(client.stderr()),
			"the client to log that it cannot write its state",
		);
		t.is(client.child.exitCode, null, "still running");
		const stale = await readState(setup, "STORE1");
		t.true(
			Date.parse(stale?.heartbeatAt ?? "") <= frozen,
			"the last state written before the fault is what readers see",
		);

		state.setReadOnly(false);
		await assertStillRunning(t, setup, client, Date.now());
		t.like(await runNow(setup, "STORE1", "download"), {
			status: "Succeeded",
			packages: 1,
		});
		assertAppliedOnce(t, await readSessions(setup, "STORE1"), [1]);
		const errors = client
			.stderr()
			.split("\n")
			.filter((line) => line.includes(" error "));
		t.log(
			`${errors.length} error lines logged while state/ was read-only, e.g. ${errors[0]}`,
		);
		t.is((await stopClient(client)).code, 0);
	},
);
