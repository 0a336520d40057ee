import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ClientState } from "../../source/domain/client-state.js";
import { packageFileName } from "../../source/domain/package-format.js";
import { runCdx } from "../helpers/cdx.js";
import {
	readSessions,
	readTable,
	runNow,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	assertDownloadApplied,
	assertDownloadNowApplies,
	startIdleClient,
} from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	groupFolder,
} from "../helpers/client-setup.js";
import {
	clientSetupOn,
	type EngineUnderTest,
	testOnEachEngine,
} from "../helpers/engines.js";

const packageFile = (setup: ClientSetup, sequence: number) =>
	join(groupFolder(setup), packageFileName(sequence));

/** Packages 1, 2 and 3 of the group, each with one price row A, B, C. */
async function threePackages(setup: ClientSetup): Promise<void> {
	for (const key of ["A", "B", "C"])
		await createPackage(setup, { PRICES: [{ key, price: key }] });
}

async function prices(setup: ClientSetup): Promise<string[]> {
	return Object.keys(await readTable(setup, "STORE1", "PRICES")).sort();
}

function statusRow(setup: ClientSetup) {
	const run = runCdx(["status", "--json", "--db", setup.db]);
	const rows = JSON.parse(run.stdout) as {
		channelDatabase: string;
		waitingFor: unknown;
	}[];
	return rows.find((row) => row.channelDatabase === "STORE1");
}

/** Strict package order through a real cdx client, on each engine of `on`. */
export function declarePackageOrderTests(on: EngineUnderTest[]): void {
	testOnEachEngine(
		"a package still arriving is waited for: nothing after it is applied until it is complete, then it and the later ones are",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			await threePackages(setup);
			const arriving = `${packageFile(setup, 2)}.tmp`;
			await rename(packageFile(setup, 2), arriving);
			const { client, idle } = await startIdleClient(t, setup);
			await assertDownloadApplied(t, setup, idle.lastDownload, {
				packages: 1,
				holds: ["A"],
				what: "package 3 waits behind 2",
			});
			t.like(idle.waitingFor, {
				sequence: 2,
				reason: "package 2 still arriving (a temporary file is being written)",
			});
			t.like(statusRow(setup)?.waitingFor, { sequence: 2 });

			await rename(arriving, packageFile(setup, 2));
			await assertDownloadNowApplies(t, setup, {
				packages: 2,
				holds: ["A", "B", "C"],
			});
			t.is(statusRow(setup)?.waitingFor, null);
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);

	testOnEachEngine(
		"a package truncated in transit is quarantined and waited for; sent again correctly, it is applied and then the ones after it",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			await threePackages(setup);
			const whole = await readFile(packageFile(setup, 2), "utf8");
			await writeFile(packageFile(setup, 2), whole.slice(0, whole.length / 2));
			const { client, idle } = await startIdleClient(t, setup);
			t.like(idle.lastDownload, { status: "Failed", packages: 1 });
			t.regex(
				idle.waitingFor?.reason ?? "",
				/^package 2 quarantined: unreadable/,
			);
			t.deepEqual(await prices(setup), ["A"]);

			const again = await runNow(setup, "STORE1", "download");
			t.like(again, { status: "Failed", packages: 0 });
			const still = (await waitForState(
				setup,
				"STORE1",
				(state) => state.waitingFor !== null,
				"the state after the second run",
			)) as ClientState;
			t.is(
				still.waitingFor?.since,
				idle.waitingFor?.since,
				"waiting since the first run",
			);

			await writeFile(packageFile(setup, 2), whole);
			await assertDownloadNowApplies(t, setup, {
				packages: 2,
				holds: ["A", "B", "C"],
			});
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);

	testOnEachEngine(
		"at a gap the client waits; only cdx package skip --yes passes over the package, recorded with who and why",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			await threePackages(setup);
			await unlink(packageFile(setup, 2));
			const { client, idle } = await startIdleClient(t, setup);
			t.like(idle.lastDownload, { status: "Failed", packages: 1 });
			t.like(idle.waitingFor, {
				sequence: 2,
				reason: "package 2 not in the folder yet (package 3 is)",
			});
			t.like(statusRow(setup)?.waitingFor, {
				sequence: 2,
				reason: "package 2 not in the folder yet (package 3 is)",
			});

			const unconfirmed = runCdx([
				"package",
				"skip",
				"--channel-db",
				"STORE1",
				"--sequence",
				"2",
				"--db",
				setup.db,
			]);
			t.is(unconfirmed.status, 2);
			t.regex(unconfirmed.stderr, /add --yes to confirm/);
			t.like(
				await runNow(setup, "STORE1", "download"),
				{ packages: 0 },
				"still waiting",
			);
			t.deepEqual(await prices(setup), ["A"]);

			const askedAt = Date.now();
			const skipped = runCdx([
				"package",
				"skip",
				"--channel-db",
				"STORE1",
				"--sequence",
				"2",
				"--yes",
				"--reason",
				"lost at headquarters",
				"--db",
				setup.db,
			]);
			t.is(skipped.status, 0, skipped.stderr);
			const after = await waitForState(
				setup,
				"STORE1",
				(state) =>
					state.currentRun === null &&
					Date.parse(state.lastDownload?.startedAt ?? "") >= askedAt,
				"the download run the skip started",
			);
			await assertDownloadApplied(t, setup, after.lastDownload, {
				packages: 1,
				holds: ["A", "C"],
			});
			t.is(after.waitingFor, null);
			const session = (await readSessions(setup, "STORE1")).find(
				(candidate) => candidate.id === "download:GROUP-A:2:0",
			);
			t.is(session?.status, "Canceled");
			t.regex(
				session?.error ?? "",
				/^skipped by \S+@\S+ at .*: lost at headquarters/,
			);
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);
}
