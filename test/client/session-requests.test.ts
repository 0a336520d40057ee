import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import test, { type ExecutionContext } from "ava";
import { packageText } from "../../source/domain/package-format.js";
import type { SessionEvent } from "../../source/domain/session-events.js";
import {
	requestRunNow,
	requestSessionAction,
	type SessionAction,
	sessionRequestFile,
} from "../../source/store/client-requests.js";
import {
	type RunningClient,
	readSessions,
	runNow,
	startsClientProcesses,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	assertDownloadApplied,
	startIdleClient,
} from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	makeClientSetup,
	packagesBlockedAt2,
	pathsOf,
	uploadFolder,
	writeCraftedPackage,
	writeOutbox,
	writePackageFile,
} from "../helpers/client-setup.js";
import { waitUntil } from "../helpers/wait.js";

startsClientProcesses(test);

const secondPackage = "download:GROUP-A:2:0";

/**
 * Asks STORE1's client to retry or cancel a session, as the sessions screen
 * does, and waits until the client has taken the request (the file is gone).
 * Gives when it asked; `onRequest` gets the request's id.
 */
async function ask(
	setup: ClientSetup,
	client: RunningClient,
	sessionId: string,
	action: SessionAction,
	onRequest: (id: string) => void = () => {},
): Promise<number> {
	const askedAt = Date.now();
	const { stateFolder, fileKey } = pathsOf(setup, "STORE1");
	const request = await requestSessionAction(
		stateFolder,
		fileKey,
		sessionId,
		action,
		new Date(askedAt),
	);
	onRequest(request);
	const file = sessionRequestFile(stateFolder, fileKey, sessionId);
	await waitUntil(
		() => !existsSync(file),
		`the client to take the ${action} request (${client.stderr()})`,
	);
	return askedAt;
}

/** The download run a request started, once it has finished. */
function downloadAfter(setup: ClientSetup, askedAt: number) {
	return waitForState(
		setup,
		"STORE1",
		(state) =>
			state.currentRun === null &&
			Date.parse(state.lastDownload?.startedAt ?? "") >= askedAt,
		"the download run the request started",
	);
}

async function session(
	setup: ClientSetup,
	id: string,
): Promise<SessionEvent | undefined> {
	return (await readSessions(setup, "STORE1")).find(
		(candidate) => candidate.id === id,
	);
}

/** Package 1 applies, package 2 fails its one try, package 3 waits behind it. */
async function clientBlockedBehindPackage2(t: ExecutionContext) {
	const setup = await makeClientSetup({ tryCount: 1 });
	await packagesBlockedAt2(setup, { PRICES: [{ key: "C", price: 3 }] });
	const { client } = await startIdleClient(t, setup);
	return { setup, client };
}

test("canceling a package that failed its tries lets the later ones apply; the session shows Canceled", async (t) => {
	const { setup, client } = await clientBlockedBehindPackage2(t);
	t.like(await session(setup, secondPackage), {
		status: "Apply failed",
		tries: 1,
	});
	t.regex(
		(await runNow(setup, "STORE1", "download")).message ?? "",
		/waiting: package 2 failed to apply 1 time\b/,
	);

	const askedAt = await ask(setup, client, secondPackage, "cancel");
	await assertDownloadApplied(
		t,
		setup,
		(await downloadAfter(setup, askedAt)).lastDownload,
		{ packages: 1, holds: ["A", "C"] },
	);
	const canceled = await session(setup, secondPackage);
	t.like(canceled, { status: "Canceled", tries: 1 });
	t.regex(
		canceled?.error ?? "",
		/^skipped by .*: canceled on the Download sessions screen; its rows were not applied/,
	);
	t.like(await session(setup, "download:GROUP-A:3:0"), { status: "Applied" });
	t.regex(
		client.stderr(),
		/info STORE1: cancel of session download:GROUP-A:2:0 \(asked by .*\): package 2 is skipped for this channel database; later packages go ahead/,
	);
	t.like(
		await runNow(setup, "STORE1", "download"),
		{ status: "No data" },
		"the canceled package is not tried again",
	);
	t.is((await stopClient(client)).code, 0);
});

test("retry gives a failed package its tries again; after its file is fixed, a retry applies it and the ones behind it", async (t) => {
	const { setup, client } = await clientBlockedBehindPackage2(t);
	const unfixed = await ask(setup, client, secondPackage, "retry");
	t.regex(
		(await downloadAfter(setup, unfixed)).lastDownload?.message ?? "",
		/package 2 failed to apply: .*gave up after 1 try/,
		"tried once more, not left waiting",
	);
	t.like(await session(setup, secondPackage), {
		status: "Apply failed",
		tries: 1,
	});

	await writeCraftedPackage(setup, {
		sequence: 2,
		tables: { PRICES: [{ key: "B", price: 2 }] },
	});
	const fixed = await ask(setup, client, secondPackage, "retry");
	await assertDownloadApplied(
		t,
		setup,
		(await downloadAfter(setup, fixed)).lastDownload,
		{
			packages: 2,
			holds: {
				A: { key: "A", price: 1 },
				B: { key: "B", price: 2 },
				C: { key: "C", price: 3 },
			},
		},
	);
	t.like(await session(setup, secondPackage), { status: "Applied", tries: 1 });
	t.regex(
		client.stderr(),
		/retry of session download:GROUP-A:2:0 .*: 0000000002.package.json: its tries start over; downloading now/,
	);
	t.is((await stopClient(client)).code, 0);
});

test("a retry of a quarantined package is refused, and answered so, until its file is back in the download folder", async (t) => {
	const setup = await makeClientSetup();
	const tampered = await createPackage(setup, { PRICES: [{ key: "A" }] });
	await writePackageFile(setup, 1, packageText({ ...tampered, tables: {} }));
	const { client } = await startIdleClient(t, setup);
	const id = "download:GROUP-A:1:0";
	t.like(await session(setup, id), { status: "Download failed" });
	const before = await readSessions(setup, "STORE1");
	t.regex(
		client.stderr(),
		/error STORE1: download: quarantined 0000000001.package.json/,
		"a quarantine is logged as an error",
	);
	t.regex(client.stderr(), /error STORE1: download run finished: Failed/);

	let request = "";
	await ask(setup, client, id, "retry", (asked) => {
		request = asked;
	});
	await waitUntil(
		() => /refused the retry/.test(client.stderr()),
		"the refusal in the log",
	);
	const answered = await waitForState(
		setup,
		"STORE1",
		(state) =>
			(state.answers ?? []).some((answer) => answer.request === request),
		"the client's answer in its state file",
	);
	t.like(
		answered.answers?.find((answer) => answer.request === request),
		{ action: "retry", ok: false },
	);
	t.regex(
		answered.answers?.find((answer) => answer.request === request)?.message ??
			"",
		/^retry refused: 0000000001.package.json is not in .*put it back there to retry it$/,
	);
	t.regex(
		client.stderr(),
		/error STORE1: refused the retry of session download:GROUP-A:1:0 .*: 0000000001.package.json is not in .*GROUP-A \(set aside in quarantine\/, or removed\); put it back there to retry it/,
	);
	t.deepEqual(await readSessions(setup, "STORE1"), before, "nothing changed");

	await writeCraftedPackage(setup, {
		sequence: 1,
		tables: { PRICES: [{ key: "A", price: 1 }] },
	});
	const askedAt = await ask(setup, client, id, "retry");
	t.like((await downloadAfter(setup, askedAt)).lastDownload, {
		status: "Succeeded",
		packages: 1,
	});
	t.like(await session(setup, id), { status: "Applied", tries: 1 });
	t.is((await stopClient(client)).code, 0);
});

test("an upload cannot be canceled; a failed upload's retry uploads it now", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	// A file where the client's upload folder should be: the upload fails.
	await mkdir(setup.uploadPath, { recursive: true });
	await rm(uploadFolder(setup, "STORE1"), { recursive: true, force: true });
	await writeFile(uploadFolder(setup, "STORE1"), "in the way");
	await writeOutbox(setup, "STORE1", "0001.json", { SALES: [{ key: "T1" }] });
	t.like(await runNow(setup, "STORE1", "upload"), { status: "Failed" });
	t.like(await session(setup, "upload:1"), {
		status: "Upload failed",
		tries: 1,
	});
	const before = await readSessions(setup, "STORE1");

	await ask(setup, client, "upload:1", "cancel");
	await ask(setup, client, "download:NO-SUCH:1:0", "retry");
	await waitUntil(
		() => /refused the retry of session download:NO-SUCH/.test(client.stderr()),
		"both refusals in the log",
	);
	t.regex(
		client.stderr(),
		/refused the cancel of session upload:1 .*: an upload cannot be canceled: its data would be lost; retry it instead/,
	);
	t.regex(client.stderr(), /this channel database has no such session/);
	t.deepEqual(await readSessions(setup, "STORE1"), before, "nothing changed");

	await rm(uploadFolder(setup, "STORE1"));
	const askedAt = await ask(setup, client, "upload:1", "retry");
	const state = await waitForState(
		setup,
		"STORE1",
		(candidate) =>
			candidate.currentRun === null &&
			Date.parse(candidate.lastUpload?.startedAt ?? "") >= askedAt,
		"the upload run the retry started",
	);
	t.like(state.lastUpload, { status: "Succeeded", packages: 1, rows: 1 });
	t.like(await session(setup, "upload:1"), { status: "Uploaded", tries: 2 });
	t.is((await stopClient(client)).code, 0);
});

test("a run-now is answered in the state file with what the run did", async (t) => {
	const setup = await makeClientSetup();
	const { client } = await startIdleClient(t, setup);
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	const { stateFolder, fileKey } = pathsOf(setup, "STORE1");
	const request = await requestRunNow(
		stateFolder,
		fileKey,
		"download",
		new Date(),
	);
	const state = await waitForState(
		setup,
		"STORE1",
		(candidate) =>
			(candidate.answers ?? []).some((answer) => answer.request === request),
		"the answer to the run-now",
	);
	t.like(
		state.answers?.find((answer) => answer.request === request),
		{
			action: "run-now",
			ok: true,
			message: "download done: Succeeded, 1 package, 1 row",
		},
	);
	t.is((await stopClient(client)).code, 0);
});
