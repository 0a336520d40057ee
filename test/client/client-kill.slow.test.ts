import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { signingKeyFor } from "../../source/client/signing-keys.js";
import {
	packageChecksum,
	signatureMatches,
} from "../../source/domain/package-format.js";
import type { SessionEvent } from "../../source/domain/session-events.js";
import { requestRunNow } from "../../source/store/client-requests.js";
import { appliedSequence } from "../helpers/channel-rows.js";
import {
	type RunningClient,
	readSessions,
	readTable,
	startClient,
	startsClientProcesses,
} from "../helpers/client-processes.js";
import { assertRecoversAfterKills } from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	makeClientSetup,
	pathsOf,
	writeOutbox,
} from "../helpers/client-setup.js";
import { engines } from "../helpers/engines.js";
import { seededRandom } from "../helpers/seeded-random.js";
import {
	uploadedKeys,
	uploadedPackages,
} from "../helpers/uploaded-packages.js";
import { pause } from "../helpers/wait.js";

startsClientProcesses(test);

const rounds = 25;

/** Kills the client at a random moment: soon after it starts, or just after a run begins. */
async function killAtRandom(
	client: RunningClient,
	random: () => number,
): Promise<string> {
	if (random() < 0.5) {
		const ms = Math.floor(random() * 400);
		await pause(ms);
		client.child.kill("SIGKILL");
		return `${ms} ms after start`;
	}
	const delayMs = Math.floor(random() * 12);
	const which = random() < 0.5 ? "download" : "upload";
	await Promise.race([
		new Promise<void>((resolve) =>
			client.onLine((line) => {
				if (line.includes(`${which} run started`)) setTimeout(resolve, delayMs);
			}),
		),
		client.exited,
		pause(3000),
	]);
	client.child.kill("SIGKILL");
	return `${delayMs} ms into a ${which} run`;
}

async function requestBothRuns(setup: ClientSetup): Promise<void> {
	const folder = pathsOf(setup, "STORE1").stateFolder;
	for (const direction of ["download", "upload"] as const)
		await requestRunNow(
			folder,
			pathsOf(setup, "STORE1").fileKey,
			direction,
			new Date(),
		);
}

for (const engine of engines)
	engine.serialTest(
		`${engine.name}: SIGKILL at random points, 25 times over: no upload lost or duplicated, no package applied twice or out of order`,
		async (t) => {
			// Only turns a hang into a failure: each round waits for conditions, not the clock.
			t.timeout(300_000);
			const random = seededRandom(t);
			const setup = await makeClientSetup({
				retailServer: () => engine.retailServerFields(t),
			});
			const expectedUploadKeys: string[] = [];
			const outboxFiles: string[] = [];
			for (let round = 1; round <= rounds; round += 1) {
				const id = String(round).padStart(3, "0");
				await writeOutbox(setup, "STORE1", `pos-${id}-a.json`, {
					SALES: [{ key: `S${id}-1` }, { key: `S${id}-2` }],
				});
				await writeOutbox(setup, "STORE1", `pos-${id}-b.json`, {
					PAYMENTS: [{ key: `P${id}` }],
				});
				outboxFiles.push(`pos-${id}-a.json`, `pos-${id}-b.json`);
				expectedUploadKeys.push(`S${id}-1`, `S${id}-2`, `P${id}`);
				await createPackage(setup, {
					COUNTER: [{ key: "LAST", round }],
					ITEMS: [{ key: `I${id}`, round }],
				});
				await requestBothRuns(setup);
				const client = startClient(setup, "STORE1");
				const when = await killAtRandom(client, random);
				const { signal } = await client.exited;
				t.log(`round ${round}: killed ${when} (${signal ?? "had exited"})`);
			}

			await assertRecoversAfterKills(t, setup, ["download", "upload"]);

			// Uploads: sequences 1..n, each intact and signed, every outbox file in exactly one, every row once.
			const record =
				setup.store.getSnapshot().configuration.channelDatabases[0];
			if (!record) throw new Error("no channel database");
			const key = await signingKeyFor(setup.db, record);
			const packages = await uploadedPackages(setup);
			t.deepEqual(
				packages.map((pkg) => pkg.sequence),
				packages.map((_, index) => index + 1),
			);
			for (const pkg of packages) {
				t.is(packageChecksum(pkg), pkg.checksum);
				t.true(
					signatureMatches(key, pkg.checksum, pkg.signatures.STORE1 ?? ""),
				);
			}
			t.deepEqual(
				packages.flatMap((pkg) => pkg.sources),
				outboxFiles,
			);
			t.deepEqual(
				uploadedKeys(packages).sort(),
				[...expectedUploadKeys].sort(),
			);
			const outbox = pathsOf(setup, "STORE1").dataFolder;
			t.deepEqual(
				(await readdir(join(outbox, "outbox"))).filter((name) =>
					name.endsWith(".json"),
				),
				[],
			);
			t.deepEqual(
				(await readdir(join(outbox, "outbox", "sent"))).sort(),
				outboxFiles,
			);

			// Downloads: everything applied, in order, each package logged Applied exactly once.
			t.deepEqual((await readTable(setup, "STORE1", "COUNTER")).LAST, {
				key: "LAST",
				round: rounds,
			});
			t.is(
				Object.keys(await readTable(setup, "STORE1", "ITEMS")).length,
				rounds,
			);
			t.is(await appliedSequence(outbox, "GROUP-A"), rounds);
			const log = await readFile(pathsOf(setup, "STORE1").sessionLog, "utf8");
			const appliedEvents = log
				.split("\n")
				.filter((line) => line.startsWith("{"))
				.map((line) => {
					try {
						return JSON.parse(line) as SessionEvent;
					} catch {
						return null;
					}
				})
				.filter(
					(event) =>
						event?.direction === "download" && event.status === "Applied",
				)
				.map((event) => event?.sequence);
			t.deepEqual(
				appliedEvents,
				Array.from({ length: rounds }, (_, index) => index + 1),
			);
			const sessions = await readSessions(setup, "STORE1");
			t.deepEqual(
				sessions
					.filter((session) => session.direction === "upload")
					.map((session) => session.status),
				packages.map(() => "Uploaded"),
			);
		},
	);
