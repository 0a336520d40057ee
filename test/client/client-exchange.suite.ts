import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
	packageChecksum,
	packageFileName,
	packageText,
	parsePackage,
} from "../../source/domain/package-format.js";
import { runCdx } from "../helpers/cdx.js";
import {
	readSessions,
	readState,
	readTable,
	runNow,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import {
	assertDownloadNowApplies,
	startIdleClient,
} from "../helpers/client-session.js";
import {
	createPackage,
	groupFolder,
	packagesBlockedAt2,
	pathsOf,
	uploadFolder,
	writeCraftedPackage,
	writeOutbox,
	writePackageFile,
} from "../helpers/client-setup.js";
import {
	clientSetupOn,
	type EngineUnderTest,
	testOnEachEngine,
} from "../helpers/engines.js";

/** The client exchange through a real cdx client, on each engine of `on`. */
export function declareClientExchangeTests(on: EngineUnderTest[]): void {
	testOnEachEngine(
		"applies each package of its data group once, in sequence order, and records the sessions",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
			await createPackage(setup, {
				PRICES: [
					{ key: "A", price: 2 },
					{ key: "B", price: 7 },
				],
			});
			await createPackage(setup, {
				PRICES: [{ key: "A", price: 3 }],
				STOCK: [{ key: "A", onHand: 4 }],
			});
			const { client } = await startIdleClient(t, setup);
			t.like(
				(await readState(setup, "STORE1"))?.lastDownload,
				{ status: "Succeeded", packages: 3 },
				"the start-up run took all three",
			);
			t.like(await runNow(setup, "STORE1", "download"), {
				status: "No data",
				packages: 0,
			});
			t.deepEqual(await readTable(setup, "STORE1", "PRICES"), {
				A: { key: "A", price: 3 },
				B: { key: "B", price: 7 },
			});
			await createPackage(setup, { PRICES: [{ key: "C", price: 9 }] });
			t.like(await runNow(setup, "STORE1", "download"), {
				status: "Succeeded",
				packages: 1,
				rows: 1,
			});
			const sessions = await readSessions(setup, "STORE1");
			t.deepEqual(
				sessions.map((session) => [
					session.sequence,
					session.status,
					session.tries,
				]),
				[
					[1, "Applied", 1],
					[2, "Applied", 1],
					[3, "Applied", 1],
					[4, "Applied", 1],
				],
			);
			t.deepEqual(await stopClient(client).then(({ code }) => code), 0);
		},
		{ on },
	);

	testOnEachEngine(
		"a package that fails to apply is tried the try count, then blocks later packages until it is replaced",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t, { tryCount: 2 });
			await packagesBlockedAt2(setup, { PRICES: [{ key: "A", price: 3 }] });
			const { client, idle: first } = await startIdleClient(t, setup);
			t.like(first.lastDownload, { status: "Failed", packages: 1 });
			t.regex(
				first.lastDownload?.message ?? "",
				/package 2 failed to apply: table name "NOT A TABLE" is not allowed.*\(try 1 of 2; tried again next run\)/,
			);
			const second = await runNow(setup, "STORE1", "download");
			t.regex(
				second.message ?? "",
				/gave up after 2 tries; later packages wait behind it/,
			);
			const third = await runNow(setup, "STORE1", "download");
			t.regex(
				third.message ?? "",
				/waiting: package 2 failed to apply 2 times/,
			);
			t.deepEqual(
				await readTable(setup, "STORE1", "PRICES"),
				{ A: { key: "A", price: 1 } },
				"package 3 waited",
			);
			const failed = (await readSessions(setup, "STORE1")).find(
				(session) => session.sequence === 2,
			);
			t.like(failed, { status: "Apply failed", tries: 2 });
			t.falsy(
				(await readSessions(setup, "STORE1")).find(
					(session) => session.sequence === 3,
				),
			);
			await access(join(groupFolder(setup), packageFileName(2)));

			await writeCraftedPackage(setup, {
				sequence: 2,
				tables: { PRICES: [{ key: "B", price: 2 }] },
			});
			await assertDownloadNowApplies(t, setup, {
				packages: 2,
				holds: {
					A: { key: "A", price: 3 },
					B: { key: "B", price: 2 },
				},
			});
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);

	testOnEachEngine(
		"tampered, misaddressed and replayed packages are quarantined with the reason, never applied, and waited for until sent again correctly",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t, { otherGroup: true });
			const good = await createPackage(setup, {
				PRICES: [{ key: "A", price: 1 }],
			});
			const { client } = await startIdleClient(t, setup);
			const forged = (sequence: number) => {
				const body = {
					...good,
					sequence,
					tables: { PRICES: [{ key: "E", price: 0 }] },
				};
				return packageText({ ...body, checksum: packageChecksum(body) });
			};
			const bad: [string, () => Promise<unknown>, RegExp][] = [
				[
					"tampered",
					() =>
						writePackageFile(
							setup,
							2,
							packageText({
								...good,
								sequence: 2,
								tables: { PRICES: [{ key: "B", price: 0 }] },
							}),
						),
					/bad checksum/,
				],
				[
					"misaddressed",
					() =>
						writeCraftedPackage(
							setup,
							{
								sequence: 2,
								dataGroup: "GROUP-B",
								tables: { PRICES: [{ key: "C" }] },
							},
							["OTHER-1"],
						),
					/wrong data group: addressed to channel data group "GROUP-B"/,
				],
				[
					"replayed",
					() => writePackageFile(setup, 2, packageText(good)),
					/replayed: sequence 1 is not after the last applied sequence 1/,
				],
				[
					"forged",
					() => writePackageFile(setup, 2, forged(2)),
					/bad signature for channel database "STORE1"/,
				],
			];
			for (const [what, write, reason] of bad) {
				await write();
				const run = await runNow(setup, "STORE1", "download");
				t.like(run, { status: "Failed", packages: 0 }, what);
				const state = await waitForState(
					setup,
					"STORE1",
					(candidate) => candidate.waitingFor?.sequence === 2,
					"waiting for package 2",
				);
				t.regex(
					state.waitingFor?.reason ?? "",
					/^package 2 quarantined: /,
					what,
				);
				t.regex(state.waitingFor?.reason ?? "", reason, what);
				const session = (await readSessions(setup, "STORE1")).find(
					(candidate) => candidate.sequence === 2,
				);
				t.like(session, { status: "Download failed" }, what);
				t.regex(session?.error ?? "", reason, what);
				t.like(
					await runNow(setup, "STORE1", "download"),
					{ status: "Failed", packages: 0 },
					`${what}: still waiting, nothing after it`,
				);
			}
			const quarantine = await readdir(join(groupFolder(setup), "quarantine"));
			for (const name of [
				packageFileName(2),
				`${packageFileName(2)}.2`,
				`${packageFileName(2)}.3`,
				`STORE1.${packageFileName(2)}`,
			])
				t.true(
					quarantine.includes(name) &&
						quarantine.includes(`${name}.reason.txt`),
					name,
				);
			t.regex(
				await readFile(
					join(
						groupFolder(setup),
						"quarantine",
						`${packageFileName(2)}.reason.txt`,
					),
					"utf8",
				),
				/STORE1: bad checksum/,
			);
			await writeCraftedPackage(setup, {
				sequence: 2,
				tables: { PRICES: [{ key: "B", price: 2 }] },
			});
			await assertDownloadNowApplies(t, setup, {
				packages: 1,
				holds: ["A", "B"],
			});
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);

	testOnEachEngine(
		"uploads the outbox as one signed package and moves the files to outbox/sent",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			const { client } = await startIdleClient(t, setup);
			await writeOutbox(setup, "STORE1", "2026-11-26T0900-001.json", {
				SALES: [{ key: "T1", amount: 5 }],
			});
			await writeOutbox(setup, "STORE1", "2026-11-26T0901-002.json", {
				SALES: [{ key: "T2", amount: 6 }],
			});
			t.like(await runNow(setup, "STORE1", "upload"), {
				status: "Succeeded",
				packages: 1,
				rows: 2,
			});
			t.deepEqual(await readdir(uploadFolder(setup, "STORE1")), [
				packageFileName(1),
				"progress.json",
			]);
			const name = packageFileName(1);
			const parsed = parsePackage(
				await readFile(join(uploadFolder(setup, "STORE1"), name ?? ""), "utf8"),
			);
			t.like(parsed.ok ? parsed.package : null, {
				kind: "upload",
				channelDatabase: "STORE1",
				rowCounts: { SALES: 2 },
			});
			t.deepEqual(
				await readdir(
					join(pathsOf(setup, "STORE1").dataFolder, "outbox", "sent"),
				),
				["2026-11-26T0900-001.json", "2026-11-26T0901-002.json"],
			);
			t.like(await runNow(setup, "STORE1", "upload"), {
				status: "No data",
				packages: 0,
			});
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);

	testOnEachEngine(
		"cdx client run-now asks the running client for a run",
		async (t, engine) => {
			const setup = await clientSetupOn(engine, t);
			const { client, idle } = await startIdleClient(t, setup);
			await createPackage(setup, { PRICES: [{ key: "A" }] });
			const asked = runCdx([
				"client",
				"run-now",
				"store1",
				"download",
				"--db",
				setup.db,
			]);
			t.is(asked.status, 0, asked.stderr);
			t.regex(
				asked.stdout,
				/Asked the client of channel database STORE1 to download now/,
			);
			const state = await waitForState(
				setup,
				"STORE1",
				(candidate) => candidate.lastDownload?.packages === 1,
				"the requested run",
			);
			t.true(
				Date.parse(state.lastDownload?.startedAt ?? "") >
					Date.parse(idle.lastDownload?.startedAt ?? ""),
			);
			t.is((await stopClient(client)).code, 0);
		},
		{ on },
	);
}
