import { access, readdir, readFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import {
	type DownloadContext,
	runDownloadCycle,
} from "../../source/client/download-cycle.js";
import { pruneOldData } from "../../source/client/retention.js";
import { packageFileName } from "../../source/domain/package-format.js";
import { rowsByKey } from "../helpers/channel-rows.js";
import {
	type ClientSetup,
	createPackage,
	downloadContext,
	groupFolder,
	uploadFolder,
	writeCraftedPackage,
} from "../helpers/client-setup.js";
import { clientSetupOn, testOnEachEngine } from "../helpers/engines.js";

const contextFor = (
	setup: ClientSetup,
	database = "STORE1",
	overrides: Partial<DownloadContext> = {},
) => downloadContext(setup, database, undefined, overrides);

testOnEachEngine(
	"a package that does not fit changes no table and not the watermark, and says where it does not fit",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t);
		await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
		await writeCraftedPackage(setup, {
			sequence: 2,
			tables: {
				ITEMS: [{ key: "X", name: "first table, fits" }],
				PRICES: [{ key: "B" }, { key: "C", price: "cheap" }],
			},
		});
		const context = await contextFor(setup);
		const result = await runDownloadCycle(context);
		t.like(result, { status: "Failed", packages: 1 });
		t.regex(
			result.message ?? "",
			/table PRICES, column price, row 2: "cheap" must be a whole number \(the column is integer\)/,
		);
		t.deepEqual(rowsByKey(await context.store.readTable("PRICES")), {
			A: { key: "A", price: 1 },
		});
		t.deepEqual(await context.store.readTable("ITEMS"), []);
		t.is((await context.store.readProgress()).groups["GROUP-A"]?.sequence, 1);
	},
);

testOnEachEngine(
	"a full data sync applies every package still in the folder again, from sequence 1",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t);
		await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
		await createPackage(setup, { PRICES: [{ key: "B", price: 2 }] });
		const context = await contextFor(setup);
		t.like(await runDownloadCycle(context), { packages: 2 });
		const requested = await contextFor(setup, "STORE1", {
			fullSyncRequestedAt: "2026-11-26T09:00:00.000Z",
		});
		const again = await runDownloadCycle(requested);
		t.like(again, { status: "Succeeded", packages: 2 });
		t.like(
			requested.sessions.latest("download:GROUP-A:2:1"),
			{ status: "Applied" },
			"a new session per re-applied package",
		);
		t.like(
			await runDownloadCycle(
				await contextFor(setup, "STORE1", {
					fullSyncRequestedAt: "2026-11-26T09:00:00.000Z",
				}),
			),
			{
				status: "No data",
			},
			"a request is served once",
		);
	},
);

testOnEachEngine(
	"try count 0 retries a failing package without limit",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t, { tryCount: 0 });
		await writeCraftedPackage(setup, {
			sequence: 1,
			tables: { "BAD NAME": [{ key: "A" }] },
		});
		for (let run = 1; run <= 5; run += 1) {
			const context = await contextFor(setup, "STORE1", { tryCount: 0 });
			const result = await runDownloadCycle(context);
			t.is(result.status, "Failed");
			t.regex(result.message ?? "", new RegExp(`try ${run} of unlimited`));
		}
	},
);

testOnEachEngine(
	"a package whose signature fails for one database is copied aside; the group's other database still applies it",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t, {
			databases: ["STORE1", "STORE2"],
		});
		await writeCraftedPackage(
			setup,
			{ sequence: 1, tables: { PRICES: [{ key: "A", price: 1 }] } },
			["STORE2"],
		);
		const store1 = await contextFor(setup, "STORE1");
		const result = await runDownloadCycle(store1);
		t.is(result.status, "Failed");
		t.regex(
			result.message ?? "",
			/missing signature: not signed for channel database "STORE1"/,
		);
		await access(
			join(groupFolder(setup), "quarantine", `STORE1.${packageFileName(1)}`),
		);
		await access(join(groupFolder(setup), packageFileName(1)));
		const again = await runDownloadCycle(await contextFor(setup, "STORE1"));
		t.like(again, {
			status: "Failed",
			waiting: {
				sequence: 1,
				reason: `package 1 quarantined: missing signature: not signed for channel database "STORE1"`,
				problem: true,
			},
		});
		t.deepEqual(
			await readdir(join(groupFolder(setup), "quarantine")),
			[
				`STORE1.${packageFileName(1)}`,
				`STORE1.${packageFileName(1)}.reason.txt`,
			],
			"set aside once, not every run",
		);
		t.like(await runDownloadCycle(await contextFor(setup, "STORE2")), {
			status: "Succeeded",
			packages: 1,
		});
	},
);

testOnEachEngine(
	"the client's retention removes old sessions but never a package in the shared download folder",
	async (t, engine) => {
		const setup = await clientSetupOn(engine, t);
		await createPackage(setup, { PRICES: [{ key: "A" }] });
		await createPackage(setup, { PRICES: [{ key: "B" }] });
		const context = await contextFor(setup);
		await runDownloadCycle(context);
		await createPackage(setup, { PRICES: [{ key: "C" }] });
		const longAgo = new Date(Date.now() - 20 * 24 * 60 * 60 * 1000);
		for (const sequence of [1, 3])
			await utimes(
				join(groupFolder(setup), packageFileName(sequence)),
				longAgo,
				longAgo,
			);
		const later = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
		// The client's retention as it runs at `now`.
		const pruneAt = (now: Date) =>
			pruneOldData({
				parameters: setup.store.getSnapshot().configuration.parameters,
				store: context.store,
				sessions: context.sessions,
				dataGroup: setup.group,
				uploadFolder: uploadFolder(setup, "STORE1"),
				now,
			});
		const pruned = await pruneAt(new Date());
		t.deepEqual(pruned, { sessions: 0, packages: 0, sentFiles: 0 });
		await access(join(groupFolder(setup), packageFileName(1)));
		await access(join(groupFolder(setup), packageFileName(2)));
		await access(join(groupFolder(setup), packageFileName(3)));
		const laterPruned = await pruneAt(later);
		t.is(laterPruned.sessions, 2);
		t.is(await readFile(context.sessions.file, "utf8"), "");
	},
);
