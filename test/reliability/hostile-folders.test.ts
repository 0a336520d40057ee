import {
	lstat,
	mkdir,
	readdir,
	readFile,
	readlink,
	symlink,
	writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { signingKeyFor } from "../../source/client/signing-keys.js";
import {
	packageFileName,
	packageText,
	parsePackage,
	signChecksum,
} from "../../source/domain/package-format.js";
import {
	runNow,
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import {
	assertDownloadNowApplies,
	startIdleClient,
} from "../helpers/client-session.js";
import {
	type ClientSetup,
	createPackage,
	groupFolder,
	makeClientSetup,
	uploadFolder,
	writeCraftedPackage,
	writeOutbox,
	writePackageFile,
} from "../helpers/client-setup.js";

startsClientProcesses(test);

const secretKey = (setup: ClientSetup) => join(setup.root, "secret.key");

/** A file someone wants overwritten, and a link to it planted at `at`. */
async function plantLink(setup: ClientSetup, at: string): Promise<string> {
	const victim = secretKey(setup);
	await symlink(victim, at);
	return readFile(victim, "utf8");
}

async function tamperedPackage1(setup: ClientSetup): Promise<void> {
	const pkg = await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	await writePackageFile(
		setup,
		1,
		packageText({ ...pkg, tables: { PRICES: [{ key: "A", price: 0 }] } }),
	);
}

test("a link planted at the quarantine reason file is not followed: the target is untouched and the package goes beside it", async (t) => {
	const setup = await makeClientSetup();
	await tamperedPackage1(setup);
	const quarantine = join(groupFolder(setup), "quarantine");
	await mkdir(quarantine);
	const before = await plantLink(
		setup,
		join(quarantine, `${packageFileName(1)}.reason.txt`),
	);
	const { client, idle: state } = await startIdleClient(t, setup);
	t.regex(
		state.waitingFor?.reason ?? "",
		/^package 1 quarantined: bad checksum/,
	);
	t.is(
		await readFile(secretKey(setup), "utf8"),
		before,
		"secret.key untouched",
	);
	t.true(
		(
			await lstat(join(quarantine, `${packageFileName(1)}.reason.txt`))
		).isSymbolicLink(),
	);
	t.regex(
		await readFile(
			join(quarantine, `${packageFileName(1)}.2.reason.txt`),
			"utf8",
		),
		/bad checksum/,
	);
	t.is((await stopClient(client)).code, 0);
});

test("a symlinked quarantine folder is refused: nothing is moved through it", async (t) => {
	const setup = await makeClientSetup();
	await tamperedPackage1(setup);
	const elsewhere = join(setup.root, "elsewhere");
	await mkdir(elsewhere);
	await symlink(elsewhere, join(groupFolder(setup), "quarantine"));
	const { client, idle: state } = await startIdleClient(t, setup);
	t.like(state.lastDownload, { status: "Failed", packages: 0 });
	t.regex(
		state.waitingFor?.reason ?? "",
		/^package 1 refused: bad checksum.*not set aside \(.*quarantine: a symbolic link/,
	);
	t.deepEqual(await readdir(elsewhere), []);
	t.true((await readdir(groupFolder(setup))).includes(packageFileName(1)));
	t.is((await stopClient(client)).code, 0);
});

test("a link planted at the next upload package's name is neither followed nor replaced; the package goes out under the next number", async (t) => {
	const setup = await makeClientSetup();
	await mkdir(uploadFolder(setup, "STORE1"), { recursive: true });
	const planted = join(uploadFolder(setup, "STORE1"), packageFileName(1));
	const before = await plantLink(setup, planted);
	const { client } = await startIdleClient(t, setup);
	await writeOutbox(setup, "STORE1", "0001.json", { SALES: [{ key: "T1" }] });
	const run = await runNow(setup, "STORE1", "upload");
	t.like(run, { status: "Succeeded", packages: 1 });
	t.regex(
		run.message ?? "",
		/0000000001\.package\.json is already there with other content \(not touched\); the package goes out as 0000000002\.package\.json/,
	);
	t.is(
		await readFile(secretKey(setup), "utf8"),
		before,
		"secret.key untouched",
	);
	t.is(await readlink(planted), secretKey(setup), "the link is left as it was");
	const sent = parsePackage(
		await readFile(
			join(uploadFolder(setup, "STORE1"), packageFileName(2)),
			"utf8",
		),
	);
	t.true(sent.ok && sent.package.sequence === 2);
	t.is((await stopClient(client)).code, 0);
});

test("a symlinked upload folder of the database is refused: nothing is written through it", async (t) => {
	const setup = await makeClientSetup();
	const elsewhere = join(setup.root, "elsewhere");
	await mkdir(elsewhere);
	await symlink(elsewhere, uploadFolder(setup, "STORE1"));
	const { client } = await startIdleClient(t, setup);
	await writeOutbox(setup, "STORE1", "0001.json", { SALES: [{ key: "T1" }] });
	const run = await runNow(setup, "STORE1", "upload");
	t.like(run, { status: "Failed", packages: 0 });
	t.regex(
		run.message ?? "",
		/STORE1: a symbolic link where the client expects its own file or folder/,
	);
	t.deepEqual(await readdir(elsewhere), []);
	t.is((await stopClient(client)).code, 0);
});

test("an upload package already in the folder with other content (a restored backup) is never replaced; numbering continues after the highest", async (t) => {
	const setup = await makeClientSetup();
	const folder = uploadFolder(setup, "STORE1");
	await mkdir(folder, { recursive: true });
	const older = [
		"package one from before the restore\n",
		"package three\n",
	] as const;
	await writeFile(join(folder, packageFileName(1)), older[0]);
	await writeFile(join(folder, packageFileName(3)), older[1]);
	const { client } = await startIdleClient(t, setup);
	await writeOutbox(setup, "STORE1", "0001.json", { SALES: [{ key: "T1" }] });
	const run = await runNow(setup, "STORE1", "upload");
	t.like(run, { status: "Succeeded", packages: 1 });
	t.regex(run.message ?? "", /goes out as 0000000004\.package\.json/);
	t.is(await readFile(join(folder, packageFileName(1)), "utf8"), older[0]);
	t.is(await readFile(join(folder, packageFileName(3)), "utf8"), older[1]);
	const sent = parsePackage(
		await readFile(join(folder, packageFileName(4)), "utf8"),
	);
	t.true(sent.ok && sent.package.sequence === 4);

	await writeOutbox(setup, "STORE1", "0002.json", { SALES: [{ key: "T2" }] });
	t.like(await runNow(setup, "STORE1", "upload"), {
		status: "Succeeded",
		message: null,
	});
	t.true((await readdir(folder)).includes(packageFileName(5)));
	t.is((await stopClient(client)).code, 0);
});

test("a package set aside for a missing signature is checked again once headquarters signs it again", async (t) => {
	const setup = await makeClientSetup({ databases: ["STORE1", "STORE2"] });
	const unsigned = await writeCraftedPackage(
		setup,
		{ sequence: 1, tables: { PRICES: [{ key: "A", price: 1 }] } },
		["STORE2"],
	);
	const { client, idle: first } = await startIdleClient(t, setup);
	t.regex(
		first.waitingFor?.reason ?? "",
		/^package 1 quarantined: missing signature/,
	);

	const record = setup.store
		.getSnapshot()
		.configuration.channelDatabases.find(
			(database) => database.name === "STORE1",
		);
	const key = await signingKeyFor(setup.db, record as never);
	// Same content and checksum; only the signatures change.
	await writePackageFile(
		setup,
		1,
		packageText({
			...unsigned,
			signatures: {
				...unsigned.signatures,
				STORE1: signChecksum(key, unsigned.checksum),
			},
		}),
	);
	await assertDownloadNowApplies(t, setup, { packages: 1, holds: ["A"] });
	t.is((await stopClient(client)).code, 0);
});
