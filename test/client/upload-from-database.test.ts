import { runDownloadCycle } from "../../source/client/download-cycle.js";
import { runUploadCycle } from "../../source/client/upload-cycle.js";
import {
	createPackage,
	downloadContext,
	makeClientSetup,
} from "../helpers/client-setup.js";
import { type EngineUnderTest, engines } from "../helpers/engines.js";
import { connectPos, quotedSalesTable } from "../helpers/pos-connection.js";
import { asSuperuser } from "../helpers/postgres.js";
import { uploadContext } from "../helpers/upload-context.js";
import { uploadedPackages } from "../helpers/uploaded-packages.js";
import { waitUntil } from "../helpers/wait.js";

/** A client set-up whose channel database keeps its data on `engine`. */
const setupOn = (
	engine: EngineUnderTest,
	t: { teardown: (fn: () => Promise<void>) => void },
) => makeClientSetup({ retailServer: () => engine.retailServerFields(t) });

for (const engine of engines) {
	engine.test(
		`${engine.name}: rows a POS writes with SQL upload once; a row it changes again uploads again; tables without the counter never do`,
		async (t) => {
			const setup = await setupOn(engine, t);
			await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
			const download = await downloadContext(setup);
			await runDownloadCycle(download);
			await download.store.close();
			const pos = await connectPos(setup);
			t.teardown(() => pos.close());
			await pos.run(quotedSalesTable);
			await pos.writeSale("s1", 10);
			await pos.writeSale("s2", 20.5);
			await pos.writeSale("s3", 30);
			const context = await uploadContext(setup);
			t.like(await runUploadCycle(context), { status: "Succeeded", rows: 3 });
			t.like(await runUploadCycle(context), { status: "No data" });
			await pos.writeSale("s2", 22);
			t.like(await runUploadCycle(context), { status: "Succeeded", rows: 1 });
			const uploaded = await uploadedPackages(setup);
			t.deepEqual(
				uploaded.map((pkg) => Object.keys(pkg.tables)),
				[["SALES"], ["SALES"]],
			);
			t.deepEqual(uploaded[0]?.tables.SALES, [
				{ key: "s1", amount: 10, REPLICATIONCOUNTERFROMORIGIN: 1 },
				{ key: "s2", amount: 20.5, REPLICATIONCOUNTERFROMORIGIN: 2 },
				{ key: "s3", amount: 30, REPLICATIONCOUNTERFROMORIGIN: 3 },
			]);
			t.deepEqual(uploaded[1]?.tables.SALES, [
				{ key: "s2", amount: 22, REPLICATIONCOUNTERFROMORIGIN: 4 },
			]);
			t.deepEqual(uploaded[0]?.schemas?.SALES, {
				key: ["key"],
				columns: {
					key: "text",
					amount: "decimal",
					REPLICATIONCOUNTERFROMORIGIN: "integer",
				},
			});
		},
	);

	// Read in one go, one row at a time, and in pages that end inside a counter value.
	for (const { maxRows, pageRows, expected } of [
		{ maxRows: 3, pageRows: undefined, expected: ["ab", "cdef", "g"] },
		{ maxRows: 3, pageRows: 1, expected: ["ab", "cdef", "g"] },
		{ maxRows: 5, pageRows: 2, expected: ["ab", "cdefg"] },
	])
		engine.test(
			`${engine.name}: rows that share a counter value always go in the same package (${maxRows} rows a package, ${pageRows ?? "the default"} a read)`,
			async (t) => {
				const setup = await setupOn(engine, t);
				const context = await uploadContext(setup, {
					maxRowsPerPackage: maxRows,
					pageRows,
				});
				const pos = await connectPos(setup);
				t.teardown(() => pos.close());
				await pos.run(quotedSalesTable);
				for (const [key, counter] of [
					["a", 1],
					["b", 1],
					["c", 2],
					["d", 2],
					["e", 2],
					["f", 2],
					["g", 3],
				] as const)
					await pos.run(
						'INSERT INTO "SALES" ("key", "amount", "REPLICATIONCOUNTERFROMORIGIN") VALUES (?, 1, ?)',
						[key, counter],
					);
				t.like(await runUploadCycle(context), {
					status: "Succeeded",
					packages: expected.length,
				});
				t.deepEqual(
					(await uploadedPackages(setup)).map((pkg) =>
						pkg.tables.SALES?.map((row) => row.key).join(""),
					),
					expected,
				);
			},
		);
}

const postgres = engines.find((engine) => engine.name === "postgresql");
postgres?.test(
	"postgresql: a POS transaction still open while the upload reads is waited for, so its row is not passed over by a later counter",
	async (t) => {
		const setup = await setupOn(postgres, t);
		const context = await uploadContext(setup);
		const [late, early] = [await connectPos(setup), await connectPos(setup)];
		t.teardown(async () => {
			await late.close();
			await early.close();
		});
		await early.run(quotedSalesTable);
		// Both take counter 1: "late" has not committed when "early" computes max() + 1.
		await late.run("BEGIN");
		await late.run(
			'INSERT INTO "SALES" ("key", "amount", "REPLICATIONCOUNTERFROMORIGIN") VALUES (?, 1, (SELECT coalesce(max("REPLICATIONCOUNTERFROMORIGIN"), 0) + 1 FROM "SALES"))',
			["late"],
		);
		await early.writeSale("early", 2);
		let settled = false;
		const upload = runUploadCycle(context).finally(() => {
			settled = true;
		});
		const database =
			setup.store.getSnapshot().configuration.channelDatabases[0]?.databaseName;
		// The upload either waits for the open transaction, or (wrongly) goes past it.
		await waitUntil(
			async () =>
				settled ||
				(await asSuperuser(async (client) => {
					const waiting = await client.query(
						"SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'cdx client' AND wait_event_type = 'Lock'",
						[database],
					);
					return waiting.rowCount === 1;
				})),
			"the upload to wait for the open POS transaction or to end",
			20_000,
		);
		await late.run("COMMIT");
		t.like(await upload, { status: "Succeeded" });
		await runUploadCycle(context);
		t.deepEqual(
			(await uploadedPackages(setup))
				.flatMap((pkg) => (pkg.tables.SALES ?? []).map((row) => row.key))
				.sort(),
			["early", "late"],
		);
	},
);
