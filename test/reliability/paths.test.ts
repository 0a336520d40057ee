import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import type { Configuration } from "../../source/domain/configuration.js";
import {
	packageFileName,
	packageText,
} from "../../source/domain/package-format.js";
import { runCdx } from "../helpers/cdx.js";
import { assertOneLineError } from "../helpers/cli-assertions.js";
import {
	readSessions,
	runNow,
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import {
	createPackage,
	groupFolder,
	makeClientSetup,
	pathsOf,
	uploadFolder,
	writeCraftedPackage,
	writeOutbox,
} from "../helpers/client-setup.js";
import { makeTempFolder, readDatabase } from "../helpers/database.js";

startsClientProcesses(test);

/** Every file under `folder`, as paths relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
	const entries = await readdir(folder, {
		recursive: true,
		withFileTypes: true,
	});
	return entries
		.filter((entry) => !entry.isDirectory())
		.map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
		.sort();
}

// db.json edited by hand: the forms would refuse these, so the client must too.

const handEdits: [string, (configuration: Configuration) => void, RegExp][] = [
	[
		'a channel database named "../../escaped"',
		(configuration) => {
			const database = configuration.channelDatabases[0];
			if (database) database.name = "../../escaped";
		},
		/Channel database "..\/..\/escaped" cannot be used: Channel database ID: must be 1 to 20 characters/,
	],
	[
		'a data group named "../../../tmp"',
		(configuration) => {
			const group = configuration.dataGroups[0];
			if (group) group.name = "../../../tmp";
		},
		/Channel data group "..\/..\/..\/tmp" cannot be used: Name: must be 1 to 20 characters/,
	],
	[
		"a relative download working folder",
		(configuration) => {
			const folders = configuration.workingFolders[0];
			if (folders) folders.downloadPath = "relative/download";
		},
		/Working folders "HQ" cannot be used: Download working folder: must be an absolute path/,
	],
	[
		"an upload working folder with ..",
		(configuration) => {
			const folders = configuration.workingFolders[0];
			if (folders) folders.uploadPath = "/srv/cdx/../../etc";
		},
		/Upload working folder: must not contain "\.\."/,
	],
];

for (const [what, edit, says] of handEdits) {
	test(`the client refuses to start on ${what} written into db.json by hand, and writes nothing`, async (t) => {
		const setup = await makeClientSetup();
		const configuration = await readDatabase(setup.db);
		edit(configuration);
		await writeFile(setup.db, JSON.stringify(configuration));
		const before = await filesUnder(setup.root);
		const name = configuration.channelDatabases[0]?.name ?? "";
		const run = runCdx(["client", "--channel-db", name, "--db", setup.db]);
		assertOneLineError(t, run, 2, says);
		t.deepEqual(await filesUnder(setup.root), before, "no file made anywhere");
		t.false(existsSync(join(dirname(setup.root), "escaped.json")));
	});
}

test("table names that try to leave the channel database are refused and nothing is written anywhere", async (t) => {
	const setup = await makeClientSetup();
	for (const [sequence, table] of [
		[1, "../../../escaped"],
		[2, "/tmp/escaped"],
		[3, "tables/../../escaped"],
	] as const)
		await writeCraftedPackage(setup, {
			sequence,
			tables: { [table]: [{ key: "x", stolen: true }] },
		});
	const { client } = await startIdleClient(t, setup);
	const [session] = await readSessions(setup, "STORE1");
	t.like(session, { sequence: 1, status: "Apply failed" });
	t.regex(
		session?.error ?? "",
		/table name "..\/..\/..\/escaped" is not allowed/,
	);
	t.deepEqual(
		(await filesUnder(setup.root)).filter((file) => file.includes("escaped")),
		[],
		"no table file written anywhere",
	);
	t.false(existsSync("/tmp/escaped.json"));
	const tables = runCdx([
		"channel-db",
		"query",
		"STORE1",
		"SELECT name FROM sqlite_master WHERE name LIKE '%escaped%'",
		"--json",
		"--db",
		setup.db,
	]);
	t.deepEqual(
		JSON.parse(tables.stdout),
		[],
		"no such table in the channel database",
	);
	t.is((await stopClient(client)).code, 0);
});

test("a symlink planted in the download folder is not followed: the file it points to is neither applied nor moved", async (t) => {
	const setup = await makeClientSetup();
	// A good package, signed for STORE1, kept outside the working folders.
	const elsewhere = join(await makeTempFolder(), "elsewhere.json");
	const pkg = await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	await writeFile(elsewhere, packageText(pkg));
	await writeFile(join(groupFolder(setup), packageFileName(1)), "");
	await symlink(elsewhere, join(groupFolder(setup), packageFileName(2)));
	const { client } = await startIdleClient(t, setup);
	const sessions = await readSessions(setup, "STORE1");
	t.false(
		sessions.some((session) => session.sequence === 2),
		"the symlinked package is not looked at",
	);
	t.is(await readFile(elsewhere, "utf8"), packageText(pkg), "left as it was");
	t.is((await stopClient(client)).code, 0);
});

test("a symlink planted in the outbox is not uploaded: what it points to never leaves the machine", async (t) => {
	const setup = await makeClientSetup();
	const secret = join(await makeTempFolder(), "secret.json");
	await writeFile(
		secret,
		JSON.stringify({
			tables: { SECRETS: [{ key: "root", password: "hunter2" }] },
		}),
	);
	const { client } = await startIdleClient(t, setup);
	const outbox = join(pathsOf(setup, "STORE1").dataFolder, "outbox");
	await mkdir(outbox, { recursive: true });
	await symlink(secret, join(outbox, "steal.json"));
	await writeOutbox(setup, "STORE1", "sale-1.json", {
		SALES: [{ key: "T1", amount: 5 }],
	});
	t.like(await runNow(setup, "STORE1", "upload"), {
		status: "Succeeded",
		rows: 1,
	});
	const uploaded = await readFile(
		join(uploadFolder(setup, "STORE1"), packageFileName(1)),
		"utf8",
	);
	t.false(uploaded.includes("hunter2"));
	t.false(uploaded.includes("SECRETS"));
	t.is((await stopClient(client)).code, 0);
});
