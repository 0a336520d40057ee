import { spawn } from "node:child_process";
import test, { type ExecutionContext } from "ava";
import { requestRunNow } from "../../source/store/client-requests.js";
import { appliedSequence, readStoreTable } from "../helpers/channel-rows.js";
import {
	runNow,
	startClient,
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import {
	assertRecoversAfterKills,
	startRunningClient,
} from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	pathsOf,
} from "../helpers/client-setup.js";
import { clientSetupOn, testOnEachEngine } from "../helpers/engines.js";
import { connectPos, quotedSalesTable } from "../helpers/pos-connection.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { uploadedPackages } from "../helpers/uploaded-packages.js";
import { pause } from "../helpers/wait.js";

startsClientProcesses(test);

const counter = "REPLICATIONCOUNTERFROMORIGIN";

/** A POS process writing `count` sales to the SALES table of STORE1's channel database. */
function posWriter(setup: ClientSetup, prefix: string, count: number) {
	const record = setup.store
		.getSnapshot()
		.configuration.channelDatabases.find(({ name }) => name === "STORE1");
	const child = spawn(
		process.execPath,
		[
			"--import=tsx",
			new URL("../helpers/pos-writer-process.ts", import.meta.url).pathname,
			pathsOf(setup, "STORE1").dataFolder,
			record?.serverName ?? "",
			record?.databaseName ?? "",
			prefix,
			String(count),
		],
		{ stdio: ["ignore", "ignore", "pipe"] },
	);
	let stderr = "";
	child.stderr.on("data", (chunk) => {
		stderr += chunk;
	});
	return new Promise<{ code: number | null; stderr: string }>((resolve) =>
		child.on("close", (code) => resolve({ code, stderr })),
	);
}

/**
 * Every version of a row the POS committed last is in exactly one upload
 * package, and no version is in two: the (key, counter) pairs uploaded are
 * unique, and each row as the database holds it now is among them.
 */
async function assertUploadedOnce(t: ExecutionContext, setup: ClientSetup) {
	const packages = await uploadedPackages(setup);
	t.deepEqual(
		packages.map((pkg) => pkg.sequence),
		packages.map((_, index) => index + 1),
	);
	const uploaded = packages.flatMap((pkg) => pkg.tables.SALES ?? []);
	const versions = uploaded.map((row) => `${row.key}@${row[counter]}`);
	t.is(
		new Set(versions).size,
		versions.length,
		"no row version uploaded twice",
	);
	const rows = await readStoreTable(
		pathsOf(setup, "STORE1").dataFolder,
		"SALES",
	);
	const byVersion = new Map(
		uploaded.map((row) => [`${row.key}@${row[counter]}`, row]),
	);
	const missing = Object.values(rows).filter(
		(row) => byVersion.get(`${row.key}@${row[counter]}`)?.amount !== row.amount,
	);
	t.deepEqual(missing, [], "every row's last version was uploaded");
	return { rows: Object.keys(rows).length, packages: packages.length };
}

testOnEachEngine(
	"two POS writers and the client on one database: no write is lost, every row's last version uploads once",
	async (t, engine) => {
		t.timeout(180_000);
		const setup = await clientSetupOn(engine, t);
		const dataFolder = pathsOf(setup, "STORE1").dataFolder;
		const client = await startRunningClient(t, setup);
		const pos = await connectPos(setup);
		await pos.run(quotedSalesTable);
		await pos.close();
		const writers = [posWriter(setup, "A", 1000), posWriter(setup, "B", 1000)];
		let finished = false;
		void Promise.all(writers).then(() => {
			finished = true;
		});
		// Meanwhile the client downloads and uploads, as on a busy day.
		for (let round = 1; !finished; round += 1) {
			await createPackage(setup, {
				PRICES: [{ key: `P${round % 7}`, price: round }],
			});
			const folder = pathsOf(setup, "STORE1").stateFolder;
			await requestRunNow(folder, "STORE1", "download", new Date());
			await requestRunNow(folder, "STORE1", "upload", new Date());
			await pause(200);
		}
		for (const writer of await Promise.all(writers))
			t.is(writer.code, 0, writer.stderr);
		const last = await runNow(setup, "STORE1", "upload");
		t.not(last.status, "Failed", last.message ?? "");
		const download = await runNow(setup, "STORE1", "download");
		t.not(download.status, "Failed", download.message ?? "");
		t.is((await stopClient(client)).code, 0, client.stderr());

		const sales = await readStoreTable(dataFolder, "SALES");
		t.is(Object.keys(sales).length, 2000, "both writers' rows are all there");
		t.is(sales["A-1"]?.amount, -5, "a row changed again holds its last amount");
		t.is(sales["B-1000"]?.amount, 1000);
		const uploaded = await assertUploadedOnce(t, setup);
		t.log(`${uploaded.packages} upload packages`);
		const sequence = await appliedSequence(dataFolder, "GROUP-A");
		t.true(sequence > 0);
		t.is(
			Object.keys(await readStoreTable(dataFolder, "PRICES")).length,
			Math.min(7, sequence),
		);
	},
);

testOnEachEngine(
	"kill -9 during uploads of rows a POS writes with SQL: no row lost or uploaded twice",
	async (t, engine) => {
		t.timeout(180_000);
		const random = seededRandom(t);
		const setup = await clientSetupOn(engine, t);
		// The client, once started, has made the store the POS writes to.
		await stopClient(await startRunningClient(t, setup));
		const pos = await connectPos(setup);
		t.teardown(() => pos.close());
		await pos.run(quotedSalesTable);
		let written = 0;
		for (let round = 1; round <= 15; round += 1) {
			for (let index = 0; index < 400; index += 1) {
				written += 1;
				await pos.writeSale(`S${written}`, written);
				if (written % 7 === 0) await pos.writeSale(`S${written - 3}`, -written);
			}
			await requestRunNow(
				pathsOf(setup, "STORE1").stateFolder,
				"STORE1",
				"upload",
				new Date(),
			);
			const client = startClient(setup, "STORE1");
			const delayMs = Math.floor(random() * 40);
			client.onLine((line) => {
				if (line.includes("upload run started"))
					setTimeout(() => client.child.kill("SIGKILL"), delayMs);
			});
			await Promise.race([client.exited, pause(5000)]);
			client.child.kill("SIGKILL");
			const { signal } = await client.exited;
			t.log(
				`round ${round}: killed ${delayMs} ms into the upload run (${signal ?? "had exited"})`,
			);
		}
		await assertRecoversAfterKills(t, setup, ["upload"]);
		const uploaded = await assertUploadedOnce(t, setup);
		t.is(uploaded.rows, written);
	},
);
