import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import { realClock } from "../../source/client/clock.js";
import { publishRunProgress } from "../../source/client/cycle-runner.js";
import {
	initialState,
	StatePublisher,
} from "../../source/client/state-publisher.js";
import {
	runUploadCycle,
	type UploadCheckpoint,
} from "../../source/client/upload-cycle.js";
import { resolveClientLinks } from "../../source/domain/client-links.js";
import {
	type CurrentRun,
	parseClientState,
} from "../../source/domain/client-state.js";
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
import { uploadContext } from "../helpers/upload-context.js";
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

test("an upload publishes in the client's state file the rows it has taken, package by package, as it goes", async (t) => {
	const setup = await makeClientSetup();
	await writeOutbox(setup, "STORE1", "0001.json", {
		SALES: [1, 2, 3, 4, 5].map((n) => ({ key: `t${n}`, amount: n })),
	});
	const resolved = resolveClientLinks(
		setup.store.getSnapshot().configuration,
		"STORE1",
		new Date(),
	);
	if (!resolved.ok) throw new Error(resolved.problem);
	const { stateFile } = pathsOf(setup, "STORE1");
	await mkdir(dirname(stateFile), { recursive: true });
	const startedAt = new Date().toISOString();
	const publisher = new StatePublisher(
		stateFile,
		initialState(resolved.links, startedAt, null),
		realClock,
		(error) => t.fail(error.message),
	);
	// What a reader of the state file (the live panel, cdx status) sees while each package is written.
	const seen: (CurrentRun | null)[] = [];
	const published = async () => {
		await publisher.flushed();
		const parsed = parseClientState(await readFile(stateFile, "utf8"));
		if (!parsed.ok) throw new Error(parsed.problem);
		return parsed.state.currentRun;
	};
	const result = await runUploadCycle(
		await uploadContext(setup, {
			maxRowsPerPackage: 2,
			progress: publishRunProgress(publisher, "upload", startedAt),
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
