import test from "ava";
import { requestRunNow } from "../../source/store/client-requests.js";
import { appliedSequence, readStoreTable } from "../helpers/channel-rows.js";
import {
	readSessions,
	startClient,
	startsClientProcesses,
} from "../helpers/client-processes.js";
import { assertRecoversAfterKills } from "../helpers/client-session.js";
import { createPackage, pathsOf } from "../helpers/client-setup.js";
import { clientSetupOn, testOnEachEngine } from "../helpers/engines.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { pause } from "../helpers/wait.js";

startsClientProcesses(test);

const packageCount = 70;
const rowsPerPackage = 1200;
const keyCount = 5000;
/** Kills that must land while a download run applies packages. */
const wantedKills = 30;

/** Package `sequence` writes these keys: windows that overlap the packages before and after it. */
const keysOf = (sequence: number) =>
	Array.from(
		{ length: rowsPerPackage },
		(_, index) => `K${(sequence * 700 + index) % keyCount}`,
	);

testOnEachEngine(
	`kill -9 at random points while packages apply, ${wantedKills} times: every key holds the last package's value, each package applied once`,
	async (t, engine) => {
		t.timeout(300_000);
		const random = seededRandom(t);
		const setup = await clientSetupOn(engine, t);
		const expected = new Map<string, number>();
		for (let sequence = 1; sequence <= packageCount; sequence += 1) {
			const keys = keysOf(sequence);
			await createPackage(setup, {
				STOCK: keys.map((key) => ({
					key,
					sequence,
					note: `package ${sequence}`,
				})),
				PACKAGES: [{ key: sequence, rows: keys.length }],
			});
			for (const key of keys) expected.set(key, sequence);
		}
		const dataFolder = pathsOf(setup, "STORE1").dataFolder;
		let kills = 0;
		let duringApply = 0;
		while (
			duringApply < wantedKills &&
			(await appliedSequence(dataFolder, "GROUP-A")) < packageCount
		) {
			await requestRunNow(
				pathsOf(setup, "STORE1").stateFolder,
				"STORE1",
				"download",
				new Date(),
			);
			const client = startClient(setup, "STORE1");
			// Kill a few milliseconds after a package was applied: into the next one, mostly.
			const afterApplied = random() < 0.7 ? 0 : 1;
			const delayMs = Math.floor(random() * 40);
			let applied = 0;
			let applying = false;
			client.onLine((line) => {
				if (line.includes("download run started")) applying = true;
				if (line.includes("download run finished")) applying = false;
				if (line.includes("download: applied") && ++applied > afterApplied)
					setTimeout(() => client.child.kill("SIGKILL"), delayMs);
			});
			await Promise.race([client.exited, pause(4000)]);
			const wasApplying = applying;
			client.child.kill("SIGKILL");
			const { signal } = await client.exited;
			if (signal !== "SIGKILL") continue;
			kills += 1;
			if (wasApplying) duringApply += 1;
			t.log(
				`kill ${kills}: ${delayMs} ms after package ${applied} of this run${wasApplying ? ", during the download run" : ""}; watermark ${await appliedSequence(dataFolder, "GROUP-A")}`,
			);
		}
		t.log(`${duringApply} of ${kills} kills landed during a download run`);
		t.true(
			duringApply >= wantedKills,
			`only ${duringApply} kills landed while packages applied`,
		);

		await assertRecoversAfterKills(t, setup, ["download"]);

		t.is(await appliedSequence(dataFolder, "GROUP-A"), packageCount);
		const stock = await readStoreTable(dataFolder, "STOCK");
		t.is(Object.keys(stock).length, expected.size);
		const wrong = [...expected].filter(
			([key, sequence]) =>
				stock[key]?.sequence !== sequence ||
				stock[key]?.note !== `package ${sequence}`,
		);
		t.deepEqual(
			wrong,
			[],
			"every key at the value of the last package that has it",
		);
		t.is(
			Object.keys(await readStoreTable(dataFolder, "PACKAGES")).length,
			packageCount,
		);
		const appliedEvents = (await readSessions(setup, "STORE1"))
			.filter(
				(session) =>
					session.direction === "download" && session.status === "Applied",
			)
			.map((session) => session.sequence);
		t.deepEqual(
			appliedEvents,
			Array.from({ length: packageCount }, (_, index) => index + 1),
			"each package applied once, in order",
		);
	},
);
