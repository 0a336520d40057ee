import type { ExecutionContext } from "ava";
import type {
	ClientState,
	RunSummary,
} from "../../source/domain/client-state.js";
import type { Direction } from "../../source/domain/profile-schedule.js";
import {
	type RunningClient,
	readTable,
	runNow,
	startClient,
	stopClient,
	waitForState,
	waitUntilIdle,
} from "./client-processes.js";
import type { ClientSetup } from "./client-setup.js";
import { hangTimeoutMs } from "./wait.js";

// What of a test the fixture needs: a test's ExecutionContext, or a set-up given only its teardown.
type Teardown = { teardown: (fn: () => Promise<void>) => void };

/**
 * Starts `database`'s client (a real `cdx client` process) and waits until
 * it has made its start-up runs and is idle: how most tests of a running
 * client begin. `idle` is its state then. A client the test does not stop
 * itself is killed when the test ends, so a failed test leaves none behind.
 */
export async function startIdleClient(
	t: Teardown,
	setup: ClientSetup,
	database = "STORE1",
	extra: string[] = [],
): Promise<{ client: RunningClient; idle: ClientState }> {
	const client = startClient(setup, database, extra);
	t.teardown(async () => {
		client.child.kill("SIGKILL");
	});
	return { client, idle: await waitUntilIdle(setup, database, client) };
}

/**
 * Starts `database`'s client and waits only until its state file shows it
 * running (its start-up runs may still go on): for tests that must not wait
 * for those runs, such as after kills, where they take up what was left.
 */
export async function startRunningClient(
	t: Teardown,
	setup: ClientSetup,
	database = "STORE1",
	timeoutMs = hangTimeoutMs,
): Promise<RunningClient> {
	const client = startClient(setup, database);
	t.teardown(async () => {
		client.child.kill("SIGKILL");
	});
	await waitForState(
		setup,
		database,
		(state) => state.pid === client.child.pid,
		`client ${database} to be running`,
		timeoutMs,
	);
	return client;
}

/**
 * How a kill test ends: a client started afresh on what the killed ones
 * left runs each of `directions` now, none of them fails, and it stops
 * cleanly. What the runs left behind is the test's own check.
 */
export async function assertRecoversAfterKills(
	t: ExecutionContext,
	setup: ClientSetup,
	directions: Direction[],
	timeoutMs = hangTimeoutMs,
): Promise<void> {
	const client = await startRunningClient(t, setup, "STORE1", timeoutMs);
	for (const direction of directions) {
		const run = await runNow(setup, "STORE1", direction);
		t.not(run.status, "Failed", `${direction}: ${run.message ?? ""}`);
	}
	t.is((await stopClient(client)).code, 0, client.stderr());
}

export type AppliedDownload = {
	/** How many packages the run applied. */
	packages: number;
	/** What `table` holds afterwards, exactly: its keys in key order, or its rows by key. */
	holds: string[] | Record<string, Record<string, unknown>>;
	/** Default PRICES, the table most tests' packages fill. */
	table?: string;
	/** Default STORE1. */
	database?: string;
	/** Names the check in a failure. */
	what?: string;
};

/**
 * The check a client test makes once headquarters' packages should be in:
 * the download run `run` Succeeded with `expected.packages` packages, and
 * the table then holds exactly `expected.holds`.
 */
export async function assertDownloadApplied(
	t: ExecutionContext,
	setup: ClientSetup,
	run: RunSummary | null | undefined,
	expected: AppliedDownload,
): Promise<void> {
	const what = expected.what ?? run?.message ?? "";
	t.like(run, { status: "Succeeded", packages: expected.packages }, what);
	const rows = await readTable(
		setup,
		expected.database ?? "STORE1",
		expected.table ?? "PRICES",
	);
	if (Array.isArray(expected.holds))
		t.deepEqual(Object.keys(rows), expected.holds, what);
	else t.deepEqual(rows, expected.holds, what);
}

/** The same for a download asked for now, as `cdx client run-now` asks the running client. */
export async function assertDownloadNowApplies(
	t: ExecutionContext,
	setup: ClientSetup,
	expected: AppliedDownload,
): Promise<RunSummary> {
	const run = await runNow(setup, expected.database ?? "STORE1", "download");
	await assertDownloadApplied(t, setup, run, expected);
	return run;
}
