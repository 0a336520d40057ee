import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import {
	runUploadCycle,
	type UploadCheckpoint,
} from "../../source/client/upload-cycle.js";
import type { CurrentRun } from "../../source/domain/client-state.js";
import {
	type DataPackage,
	packageChecksum,
	parsePackage,
	signatureMatches,
} from "../../source/domain/package-format.js";
import {
	type ClientSetup,
	makeClientSetup,
	pathsOf,
	uploadFolder,
	writeOutbox,
} from "../helpers/client-setup.js";
import { FakeClock } from "../helpers/fake-clock.js";
import { publishedUpload, uploadContext } from "../helpers/upload-context.js";
import {
	uploadedKeys,
	uploadedPackages,
} from "../helpers/uploaded-packages.js";

/**
 * Freezes the cycle the `count`-th time it reaches `step`, for good, as a
 * kill would: nothing after that point runs. Resolves `killed` then.
 */
function killAt(step: UploadCheckpoint, count = 1) {
	let seen = 0;
	let reached: () => void = () => {};
	const killed = new Promise<void>((resolve) => {
		reached = resolve;
	});
	const checkpoint = (at: UploadCheckpoint) => {
		if (at !== step || ++seen !== count) return;
		reached();
		return new Promise<void>(() => {});
	};
	return { checkpoint, killed };
}

/** Each file of STORE1's upload folder by name, as text: to compare bytes before and after a kill. */
async function uploadFolderTexts(
	setup: ClientSetup,
): Promise<Map<string, string>> {
	const folder = uploadFolder(setup, "STORE1");
	const names = await readdir(folder).catch(() => [] as string[]);
	const texts = new Map<string, string>();
	for (const name of names)
		texts.set(name, await readFile(join(folder, name), "utf8"));
	return texts;
}

async function fillOutbox(setup: ClientSetup): Promise<void> {
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [{ key: "t1", amount: 10 }],
	});
	await writeOutbox(setup, "STORE1", "0002.json", {
		SALES: [{ key: "t2", amount: 20 }],
		PAYMENTS: [{ key: "p2" }],
	});
}

const kills: Array<[UploadCheckpoint, number]> = [
	["outbox-imported", 1],
	["outbox-imported", 2],
	["batch-fixed", 1],
	["package-written", 1],
];

for (const [step, count] of kills) {
	test(`killed at ${step}${count > 1 ? ` #${count}` : ""}, the restarted upload neither loses nor duplicates a row`, async (t) => {
		const setup = await makeClientSetup();
		await fillOutbox(setup);
		const kill = killAt(step, count);
		void runUploadCycle(
			await uploadContext(setup, { checkpoint: kill.checkpoint }),
		);
		await kill.killed;

		const atKill = await uploadFolderTexts(setup);
		// The POS goes on writing; that belongs in a later package.
		await writeOutbox(setup, "STORE1", "0003.json", {
			SALES: [{ key: "t3", amount: 30 }],
		});

		const result = await runUploadCycle(await uploadContext(setup));
		t.like(result, { status: "Succeeded" });
		const after = await uploadFolderTexts(setup);
		for (const [name, text] of atKill)
			t.is(
				after.get(name),
				text,
				"a package written before the kill stays as it was",
			);
		t.like(await runUploadCycle(await uploadContext(setup)), {
			status: "No data",
			packages: 0,
		});
		const packages = await uploadedPackages(setup);
		t.deepEqual(
			packages.map((pkg) => pkg.sequence),
			packages.map((_, index) => index + 1),
		);
		t.deepEqual(uploadedKeys(packages).sort(), ["p2", "t1", "t2", "t3"]);
		t.deepEqual(
			packages.flatMap((pkg) => pkg.sources),
			["0001.json", "0002.json", "0003.json"],
		);
		t.deepEqual(
			await readdir(
				join(pathsOf(setup, "STORE1").dataFolder, "outbox", "sent"),
			),
			["0001.json", "0002.json", "0003.json"],
		);
	});
}

test("an upload package is signed with the uploading database's key and says where its rows came from", async (t) => {
	const setup = await makeClientSetup();
	await fillOutbox(setup);
	const context = await uploadContext(setup);
	t.like(await runUploadCycle(context), { status: "Succeeded", rows: 3 });
	t.like(await runUploadCycle(context), { status: "No data", rows: 0 });
	const [text] = (await uploadFolderTexts(setup)).values();
	const parsed = parsePackage(text ?? "");
	t.true(parsed.ok);
	const pkg = (parsed.ok ? parsed.package : null) as DataPackage;
	t.like(pkg, {
		kind: "upload",
		dataGroup: "GROUP-A",
		channelDatabase: "STORE1",
		sequence: 1,
		rowCounts: { SALES: 2, PAYMENTS: 1 },
	});
	t.is(packageChecksum(pkg), pkg.checksum);
	t.true(
		signatureMatches(context.key, pkg.checksum, pkg.signatures.STORE1 ?? ""),
	);
	t.like(context.sessions.latest("upload:1"), { status: "Uploaded", rows: 3 });
});

test("an empty outbox uploads nothing; a file that is not an outbox file is moved to outbox/rejected", async (t) => {
	const setup = await makeClientSetup();
	t.like(await runUploadCycle(await uploadContext(setup)), {
		status: "No data",
		packages: 0,
	});
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [{ amount: 10 }],
	} as never);
	const result = await runUploadCycle(await uploadContext(setup));
	t.like(result, { status: "Failed", packages: 0 });
	t.regex(
		result.message ?? "",
		/outbox file 0001.json rejected: table SALES, row 1: needs a "key"/,
	);
	const rejected = await readdir(
		join(pathsOf(setup, "STORE1").dataFolder, "outbox", "rejected"),
	);
	t.deepEqual(rejected, ["0001.json", "0001.json.reason.txt"]);
	t.deepEqual([...(await uploadFolderTexts(setup)).keys()], []);
});

const rowsOf = (run: CurrentRun | null) =>
	run && [run.step, run.unit, run.done, run.total];

test("an upload publishes in the client's state file the rows it has taken, package by package, as it goes", async (t) => {
	const setup = await makeClientSetup();
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [1, 2, 3, 4, 5].map((n) => ({ key: `t${n}`, amount: n })),
	});
	const { progress, published } = await publishedUpload(t, setup);
	// What a reader of the state file sees while each package is written.
	const seen: (CurrentRun | null)[] = [];
	const result = await runUploadCycle(
		await uploadContext(setup, {
			maxRowsPerPackage: 2,
			progress,
			checkpoint: async (step) => {
				if (step === "package-written") seen.push(await published());
			},
		}),
	);
	t.like(result, { status: "Succeeded", packages: 3, rows: 5 });
	t.deepEqual(
		seen.map((run) => run && [run.unit, run.done, run.total]),
		[
			["rows", 0, 2],
			["rows", 2, 4],
			["rows", 4, 5],
		],
	);
	t.like(await published(), { unit: "rows", done: 5, total: 5 });
});

test("a one-package upload publishes the rows read so far while it reads them, at most every 250 ms of its clock", async (t) => {
	const setup = await makeClientSetup();
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ key: `t${n}`, amount: n })),
	});
	const clock = new FakeClock("2026-11-26T08:00:00.000Z");
	const { progress, published } = await publishedUpload(t, setup, clock);
	const seen: unknown[] = [];
	const result = await runUploadCycle(
		await uploadContext(setup, {
			pageRows: 2,
			now: clock.now,
			progress,
			checkpoint: async (step) => {
				if (step !== "rows-read") return;
				seen.push(rowsOf(await published()));
				// Reading a page takes 150 ms here: every other page's count goes out.
				clock.jump(150);
			},
		}),
	);
	t.like(result, { status: "Succeeded", packages: 1, rows: 7 });
	t.deepEqual(seen, [
		["reading rows", "rows", 0, 2],
		["reading rows", "rows", 0, 2],
		["reading rows", "rows", 0, 6],
		["reading rows", "rows", 0, 6],
	]);
	t.deepEqual(rowsOf(await published()), [
		"wrote 0000000001.package.json",
		"rows",
		7,
		7,
	]);
});

test("a package finished after a restart is read again page by page, its count moving as it is", async (t) => {
	const setup = await makeClientSetup();
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [1, 2, 3, 4, 5].map((n) => ({ key: `t${n}`, amount: n })),
	});
	const kill = killAt("batch-fixed");
	void runUploadCycle(
		await uploadContext(setup, { checkpoint: kill.checkpoint }),
	);
	await kill.killed;
	const totals: number[] = [];
	const clock = new FakeClock("2026-11-26T08:00:00.000Z");
	const result = await runUploadCycle(
		await uploadContext(setup, {
			pageRows: 2,
			now: clock.now,
			progress: (step, _done, total) => {
				if (step === "reading rows") totals.push(total);
			},
			// Each read takes longer than the bound: every page's count goes out.
			checkpoint: (step) => {
				if (step === "rows-read") clock.jump(1000);
			},
		}),
	);
	t.like(result, { status: "Succeeded", packages: 1, rows: 5 });
	t.deepEqual(totals, [2, 4, 5]);
	t.deepEqual(uploadedKeys(await uploadedPackages(setup)), [
		"t1",
		"t2",
		"t3",
		"t4",
		"t5",
	]);
});
