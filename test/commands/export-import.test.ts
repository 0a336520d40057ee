import { existsSync } from "node:fs";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { decryptSecret } from "../../source/store/secrets.js";
import { buildCdxIfMissing, type CdxRun, runCdx } from "../helpers/cdx.js";
import {
	channelPassword,
	makeChannelIntegration,
} from "../helpers/channel-integration.js";
import {
	assertOneLineError,
	assertSucceeded,
	assertUnchanged,
	escapeRegExp,
} from "../helpers/cli-assertions.js";
import {
	makeProfile,
	makeTempDatabase,
	makeTempFolder,
	readDatabase,
} from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

type ExportDocument = {
	format: string;
	formatVersion: number;
	workingFolders: Record<string, unknown>[];
	dataGroups: Record<string, unknown>[];
	profiles: Record<string, unknown>[];
	channelDatabases: Record<string, unknown>[];
	parameters: Record<string, unknown>;
};

function exportOf(t: ExecutionContext, db: string): ExportDocument {
	const run = runCdx(["export", "--db", db]);
	assertSucceeded(t, run);
	return JSON.parse(run.stdout) as ExportDocument;
}

async function writeExport(document: unknown): Promise<string> {
	const file = join(await makeTempFolder(), "configuration.json");
	await writeFile(file, JSON.stringify(document, null, 2));
	return file;
}

function importInto(db: string, file: string): CdxRun {
	return runCdx(["import", file, "--db", db]);
}

/** A new, empty place for a database, with the secret.key of `from` beside it. */
async function freshDatabaseWithKeyOf(from: string): Promise<string> {
	const folder = await makeTempFolder();
	await copyFile(join(from, "secret.key"), join(folder, "secret.key"));
	return join(folder, "db.json");
}

test("export prints every form, links by name, and passwords only encrypted", async (t) => {
	const { db, downloadPath, uploadPath } = await makeChannelIntegration();
	const run = runCdx(["export", "--db", db]);
	assertSucceeded(t, run);
	t.false(run.stdout.includes(channelPassword), "no plain password");
	const document = JSON.parse(run.stdout) as ExportDocument;
	t.like(document, {
		format: "cdx-scheduler configuration",
		formatVersion: 1,
		workingFolders: [
			{
				name: "MAIN",
				description: "Headquarters share",
				downloadPath,
				uploadPath,
			},
		],
		dataGroups: [{ name: "STORES", workingFolders: "MAIN" }],
		profiles: [{ name: "STORE-DEFAULT", downloadIntervalMinutes: 15 }],
		channelDatabases: [
			{ name: "STORE-1", dataGroup: "STORES", profile: "STORE-DEFAULT" },
		],
		parameters: { tryCount: 3 },
	});
	const secret = document.channelDatabases[0]?.passwordSecret;
	t.regex(String(secret), /^aes-256-gcm:/);
	t.false("password" in (document.channelDatabases[0] ?? {}));
});

test("export then import into a fresh database gives the same configuration", async (t) => {
	const source = await makeChannelIntegration({ channelDatabases: 3 });
	assertSucceeded(
		t,
		runCdx(["parameters", "set", "--try-count", "0", "--db", source.db]),
	);
	assertSucceeded(
		t,
		runCdx(["channel-db", "full-sync", "STORE-2", "--db", source.db]),
	);
	const exported = runCdx(["export", "--db", source.db]);
	assertSucceeded(t, exported);
	const file = await writeExport(JSON.parse(exported.stdout));
	const target = await freshDatabaseWithKeyOf(source.root);

	const run = importInto(target, file);
	assertSucceeded(t, run);
	t.regex(
		run.stdout,
		/^Imported .* \(1 working-folders, 1 data-group, 1 profile, 3 channel-db, parameters\)/,
	);
	t.is(runCdx(["export", "--db", target]).stdout, exported.stdout);
	const imported = await readDatabase(target);
	t.is(
		await decryptSecret(
			target,
			imported.channelDatabases[2]?.passwordSecret ?? "",
		),
		channelPassword,
	);
	t.is(
		imported.dataGroups[0]?.workingFoldersId,
		imported.workingFolders[0]?.id,
	);
	t.is(imported.channelDatabases[0]?.profileId, imported.profiles[0]?.id);
});

test("an import with problems reports each on its own line and leaves the database byte-identical", async (t) => {
	const { db, root } = await makeChannelIntegration({ channelDatabases: 2 });
	const document = exportOf(t, db);
	const [folders] = document.workingFolders;
	const [first, second] = document.channelDatabases;
	if (!folders || !first || !second) throw new Error("fixture");
	folders.downloadPath = "relative/download";
	document.dataGroups.push({
		name: "OUTLETS",
		description: "",
		schema: "AX 2012 R3",
		workingFolders: "NOPE",
	});
	if (document.profiles[0]) document.profiles[0].downloadIntervalMinutes = 0;
	second.userName = first.userName;
	document.parameters.keepPackagesDays = "abc";
	const file = await writeExport(document);
	const target = join(root, "db.json");

	const run = await assertUnchanged(t, target, () => importInto(target, file));
	t.is(run.status, 2);
	t.is(run.stdout, "");
	t.deepEqual(run.stderr.trimEnd().split("\n"), [
		'cdx: working-folders MAIN: Download working folder: must be an absolute path starting with "/" (got "relative/download")',
		'cdx: data-group OUTLETS: Working folders: no working folders set is called "NOPE"',
		'cdx: profile STORE-DEFAULT: Data download interval in minutes: must be a whole number from 1 to 1440 (got "0")',
		'cdx: channel-db STORE-2: User name: another channel database already uses "sync-1"',
		'cdx: parameters: Days to keep data packages in the working folders: must be a whole number from 1 to 3650 (got "abc")',
		`cdx: ${file}: 5 problems; nothing was imported, ${target} is unchanged`,
	]);
});

test("a refused import does not create a database that was not there", async (t) => {
	const { db, root } = await makeChannelIntegration();
	const document = exportOf(t, db);
	document.profiles.push({ ...document.profiles[0], name: "store-default" });
	const file = await writeExport(document);
	const target = await freshDatabaseWithKeyOf(root);
	const run = importInto(target, file);
	t.is(run.status, 2);
	t.regex(
		run.stderr,
		/^cdx: profile store-default: Name: another profile is already called "STORE-DEFAULT"/,
	);
	t.false(existsSync(target));
});

test("links resolve within the file, not against the database imported into", async (t) => {
	const { db } = await makeChannelIntegration();
	const document = exportOf(t, db);
	document.workingFolders = [];
	const file = await writeExport(document);
	const run = await assertUnchanged(t, db, () => importInto(db, file));
	t.is(run.status, 2);
	t.true(
		run.stderr.startsWith(
			'cdx: data-group STORES: Working folders: no working folders set exists yet; create one first (got "MAIN")\n',
		),
	);
});

test("an import whose passwords the target's secret.key cannot decrypt is refused, naming secret.key", async (t) => {
	const { db } = await makeChannelIntegration();
	const file = await writeExport(exportOf(t, db));
	const withoutKey = join(await makeTempFolder(), "db.json");
	const missing = importInto(withoutKey, file);
	t.is(missing.status, 2);
	t.regex(
		missing.stderr,
		new RegExp(
			`^cdx: channel-db STORE-1: Password: cannot be decrypted: ${escapeRegExp(join(dirname(withoutKey), "secret.key"))} does not exist`,
		),
	);
	const other = await makeChannelIntegration();
	const run = await assertUnchanged(t, other.db, () =>
		importInto(other.db, file),
	);
	t.is(run.status, 2);
	t.regex(
		run.stderr,
		/^cdx: channel-db STORE-1: Password: cannot be decrypted with .*secret\.key: it was encrypted with another secret\.key/,
	);
	t.false(run.stderr.includes(channelPassword));
});

test("import replaces the configuration: records not in the file go, records with the same name keep their id", async (t) => {
	const source = await makeChannelIntegration();
	const document = exportOf(t, source.db);
	if (document.profiles[0]) document.profiles[0].uploadIntervalMinutes = 45;
	const file = await writeExport(document);
	const target = join(source.root, "db.json");
	assertSucceeded(
		t,
		runCdx([
			"profile",
			"add",
			"EXTRA",
			"--download",
			"5",
			"--upload",
			"5",
			"--db",
			target,
		]),
	);
	const before = await readDatabase(target);

	assertSucceeded(t, importInto(target, file));
	const after = await readDatabase(target);
	t.deepEqual(
		after.profiles.map((profile) => profile.name),
		["STORE-DEFAULT"],
	);
	t.is(after.profiles[0]?.id, before.profiles[0]?.id);
	t.is(after.profiles[0]?.version, (before.profiles[0]?.version ?? 0) + 1);
	t.is(after.profiles[0]?.uploadIntervalMinutes, 45);
	t.is(after.channelDatabases[0]?.id, before.channelDatabases[0]?.id);
	t.is(after.parameters.version, before.parameters.version + 1);
});

test("a file that is not an export exits 2 with one line and changes nothing", async (t) => {
	const db = await makeTempDatabase([makeProfile("FLAGSHIP")]);
	const run = await assertUnchanged(t, db, () => importInto(db, db));
	assertOneLineError(
		t,
		run,
		2,
		/: not a cdx export \(no "format": "cdx-scheduler configuration"; cdx export writes one\); nothing was imported\n$/,
	);
});

test("a file that is not JSON, or not there, exits 2 with one line naming it", async (t) => {
	const db = await makeTempDatabase();
	const folder = await makeTempFolder();
	const broken = join(folder, "broken.json");
	await writeFile(broken, '{"format": ');
	assertOneLineError(
		t,
		importInto(db, broken),
		2,
		new RegExp(`^cdx: ${escapeRegExp(broken)}: not valid JSON`),
	);
	const missing = join(folder, "missing.json");
	assertOneLineError(
		t,
		importInto(db, missing),
		2,
		new RegExp(
			`^cdx: ${escapeRegExp(missing)}: cannot be read: the file or its folder does not exist \\(ENOENT\\)\\n$`,
		),
	);
});

test("a field import does not know, or of the wrong type, is a problem, not ignored", async (t) => {
	const { db } = await makeChannelIntegration();
	const document = exportOf(t, db);
	const [database] = document.channelDatabases;
	if (!database) throw new Error("fixture");
	database.password = "plain";
	database.spreadLoad = "sometimes";
	database.channels = 7;
	const file = await writeExport(document);
	const run = await assertUnchanged(t, db, () => importInto(db, file));
	t.is(run.status, 2);
	t.deepEqual(run.stderr.trimEnd().split("\n").slice(0, -1), [
		"cdx: channel-db STORE-1: password: unknown field",
		"cdx: channel-db STORE-1: Retail channels: must be a list of IDs (got a number)",
		'cdx: channel-db STORE-1: Spread load across the interval: must be one of No, Yes (got "sometimes")',
	]);
	t.false(run.stderr.includes("plain"));
});

test("cdx export --help says the secret.key is needed elsewhere", (t) => {
	const run = runCdx(["export", "--help"]);
	assertSucceeded(t, run);
	t.regex(run.stdout, /secret\.key/);
	t.regex(run.stdout, /never printed in plain text/);
});

test("the exported file on disk holds no plain password", async (t) => {
	const { db, root } = await makeChannelIntegration();
	const file = await writeExport(exportOf(t, db));
	t.false((await readFile(file, "utf8")).includes(channelPassword));
	t.false(
		(await readFile(join(root, "db.json"), "utf8")).includes(channelPassword),
	);
});
