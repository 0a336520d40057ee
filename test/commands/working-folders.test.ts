import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { buildCdxIfMissing, type CdxRun, runCdx } from "../helpers/cdx.js";
import { makeChannelIntegration } from "../helpers/channel-integration.js";
import {
	assertOneLineError,
	assertShown,
	assertSucceeded,
	assertUnchanged,
} from "../helpers/cli-assertions.js";
import {
	makeTempDatabasePath,
	makeTempFolder,
	readDatabase,
} from "../helpers/database.js";

test.before(() => {
	buildCdxIfMissing();
});

function workingFolders(db: string, ...args: string[]): CdxRun {
	return runCdx(["working-folders", ...args, "--db", db]);
}

/** `working-folders add NAME` with both paths, then `extra` options. */
function addWorkingFolders(
	db: string,
	name: string,
	downloadPath: string,
	uploadPath: string,
	...extra: string[]
): CdxRun {
	return workingFolders(
		db,
		"add",
		name,
		"--download-path",
		downloadPath,
		"--upload-path",
		uploadPath,
		...extra,
	);
}

/** A fresh folder with download/ and upload/ inside, both existing. */
async function makeFolders(): Promise<{ download: string; upload: string }> {
	const root = await makeTempFolder();
	const download = join(root, "download");
	const upload = join(root, "upload");
	await mkdir(download);
	await mkdir(upload);
	return { download, upload };
}

/**
 * A folder this process may not create anything in: a read-only folder, or
 * for root (whom permissions do not stop) /sys, where mkdir is refused.
 */
async function folderWithoutPermission(): Promise<string | null> {
	const locked = join(await makeTempFolder(), "locked");
	await mkdir(locked, { mode: 0o500 });
	await chmod(locked, 0o500);
	try {
		await mkdir(join(locked, "probe"));
		await rmdir(join(locked, "probe"));
	} catch {
		return locked;
	}
	return existsSync("/sys/kernel") ? "/sys" : null;
}

test("working-folders add saves both paths and warns on stderr about folders that do not exist", async (t) => {
	const db = await makeTempDatabasePath();
	const root = await makeTempFolder();
	const run = addWorkingFolders(
		db,
		"MAIN",
		join(root, "down"),
		join(root, "up"),
		"--description",
		"Headquarters share",
	);
	t.is(run.status, 0, run.stderr);
	t.is(run.stdout, 'Added working folders "MAIN"\n');
	t.deepEqual(run.stderr.trimEnd().split("\n"), [
		`cdx: warning: Download working folder: "${join(root, "down")}" does not exist yet (--create creates it)`,
		`cdx: warning: Upload working folder: "${join(root, "up")}" does not exist yet (--create creates it)`,
	]);
	t.false(
		existsSync(join(root, "down")),
		"nothing is created without --create",
	);
	t.like((await readDatabase(db)).workingFolders[0], {
		name: "MAIN",
		description: "Headquarters share",
		downloadPath: join(root, "down"),
		uploadPath: join(root, "up"),
		version: 1,
	});
});

test("working-folders add with folders that exist prints no warning", async (t) => {
	const { download, upload } = await makeFolders();
	const run = addWorkingFolders(
		await makeTempDatabasePath(),
		"MAIN",
		download,
		upload,
	);
	assertSucceeded(t, run);
});

test("--create makes missing folders and their parents with mode 0700", async (t) => {
	const db = await makeTempDatabasePath();
	const root = await makeTempFolder();
	const download = join(root, "share", "cdx", "download");
	const upload = join(root, "share", "cdx", "upload");
	const run = addWorkingFolders(db, "MAIN", download, upload, "--create");
	assertSucceeded(t, run);
	for (const folder of [join(root, "share"), download, upload]) {
		t.true(statSync(folder).isDirectory(), folder);
		t.is(statSync(folder).mode & 0o777, 0o700, folder);
	}
	t.is((await readDatabase(db)).workingFolders[0]?.downloadPath, download);
});

test("--create with folders that already exist leaves them as they are", async (t) => {
	const { download, upload } = await makeFolders();
	await chmod(download, 0o750);
	const run = addWorkingFolders(
		await makeTempDatabasePath(),
		"MAIN",
		download,
		upload,
		"--create",
	);
	assertSucceeded(t, run);
	t.is(statSync(download).mode & 0o777, 0o750);
});

test("--create where the user may not create the folder exits 1 with one line and saves nothing", async (t) => {
	const parent = await folderWithoutPermission();
	if (parent === null) {
		t.pass("no folder without permission on this machine");
		return;
	}
	const { upload } = await makeFolders();
	const { db } = await makeChannelIntegration();
	const download = join(parent, "cdx-test-download");
	const run = await assertUnchanged(t, db, () =>
		addWorkingFolders(db, "OTHER", download, upload, "--create"),
	);
	assertOneLineError(
		t,
		run,
		1,
		/^cdx: Download working folder: "[^"]+" cannot be created: permission denied \(E(ACCES|PERM)\); nothing was saved\n$/,
	);
	t.false(existsSync(download));
});

test("--create where a path is a file exits 1 saying it is not a folder", async (t) => {
	const root = await makeTempFolder();
	const file = join(root, "download");
	await writeFile(file, "not a folder");
	const db = await makeTempDatabasePath();
	const run = addWorkingFolders(
		db,
		"MAIN",
		file,
		join(root, "upload"),
		"--create",
	);
	assertOneLineError(
		t,
		run,
		1,
		/^cdx: Download working folder: "[^"]+" is not a folder; nothing was saved\n$/,
	);
	t.deepEqual((await readDatabase(db)).workingFolders, []);
});

test("a relative path exits 2 naming the field, and --create creates nothing", async (t) => {
	const { db } = await makeChannelIntegration();
	const root = await makeTempFolder();
	const run = await assertUnchanged(t, db, () =>
		addWorkingFolders(
			db,
			"OTHER",
			"relative/download",
			join(root, "upload"),
			"--create",
		),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Download working folder: must be an absolute path starting with "\/" \(got "relative\/download"\)\n$/,
	);
	t.false(existsSync(join(root, "upload")));
});

test("the same folder for download and upload exits 2, however it is spelled", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		addWorkingFolders(db, "OTHER", "/srv/cdx/packages", "/srv/cdx/./packages/"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Upload working folder: must not be the same folder as the download working folder\n$/,
	);
});

test("a path with .. exits 2 naming the field", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		workingFolders(db, "set", "MAIN", "--upload-path", "/srv/../etc"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Upload working folder: must not contain "\.\."/,
	);
});

test("the root folder exits 2 naming the field, however it is spelled", async (t) => {
	const { db } = await makeChannelIntegration();
	for (const root of ["/", "//", "/./"]) {
		const run = await assertUnchanged(t, db, () =>
			workingFolders(db, "set", "MAIN", "--download-path", root),
		);
		assertOneLineError(
			t,
			run,
			2,
			/^cdx: Download working folder: must be a folder of its own, not the root "\/"/,
		);
	}
});

test("a missing path on add exits 2 naming the field", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		workingFolders(db, "add", "OTHER", "--download-path", "/srv/down"),
	);
	assertOneLineError(t, run, 2, /^cdx: Upload working folder: required\n$/);
});

test("a name another set has, in other case, exits 2", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		addWorkingFolders(db, "main", "/srv/a", "/srv/b"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Name: another working folders set is already called "MAIN"/,
	);
});

test("working-folders list prints a table sorted by name", async (t) => {
	const { db, downloadPath, uploadPath } = await makeChannelIntegration();
	const archive = await makeFolders();
	assertSucceeded(
		t,
		addWorkingFolders(
			db,
			"ARCHIVE",
			archive.download,
			archive.upload,
			"--description",
			"Old",
		),
	);
	const run = workingFolders(db, "list");
	assertSucceeded(t, run);
	const width = Math.max(downloadPath.length, archive.download.length);
	const pad = (text: string, to: number) => text.padEnd(to);
	t.is(
		run.stdout,
		[
			`NAME     ${pad("DOWNLOAD FOLDER", width)}  ${pad("UPLOAD FOLDER", Math.max(uploadPath.length, archive.upload.length))}  DESCRIPTION`,
			`ARCHIVE  ${pad(archive.download, width)}  ${pad(archive.upload, Math.max(uploadPath.length, archive.upload.length))}  Old`,
			`MAIN     ${pad(downloadPath, width)}  ${pad(uploadPath, Math.max(uploadPath.length, archive.upload.length))}  Headquarters share`,
			"",
		].join("\n"),
	);
});

test("working-folders show prints each field under its ERP label", async (t) => {
	const { db, downloadPath, uploadPath } = await makeChannelIntegration();
	const run = workingFolders(db, "show", "main");
	assertSucceeded(t, run);
	t.is(
		run.stdout,
		[
			"Name: MAIN",
			"Description: Headquarters share",
			`Download working folder: ${downloadPath}`,
			`Upload working folder: ${uploadPath}`,
			"",
		].join("\n"),
	);
});

test("working-folders show --json and list --json print exactly the form's fields", async (t) => {
	const { db, downloadPath, uploadPath } = await makeChannelIntegration();
	const expected = {
		name: "MAIN",
		description: "Headquarters share",
		downloadPath,
		uploadPath,
	};
	const shown = workingFolders(db, "show", "MAIN", "--json");
	assertSucceeded(t, shown);
	t.deepEqual(JSON.parse(shown.stdout), expected);
	const listed = workingFolders(db, "list", "--json");
	assertSucceeded(t, listed);
	t.deepEqual(JSON.parse(listed.stdout), [expected]);
});

test("working-folders set changes one path, keeps the rest and bumps the version", async (t) => {
	const { db, uploadPath } = await makeChannelIntegration();
	const run = workingFolders(
		db,
		"set",
		"MAIN",
		"--download-path",
		"/srv/new-download",
	);
	t.is(run.status, 0, run.stderr);
	t.is(run.stdout, 'Saved working folders "MAIN"\n');
	t.like((await readDatabase(db)).workingFolders[0], {
		downloadPath: "/srv/new-download",
		uploadPath,
		version: 2,
	});
});

test("renaming a working folders set keeps the data group pointing at it", async (t) => {
	const { db } = await makeChannelIntegration();
	assertSucceeded(t, workingFolders(db, "set", "MAIN", "--name", "HQ-SHARE"));
	t.is(assertShown(t, db, "data-group", "STORES").workingFolders, "HQ-SHARE");
});

test("working-folders delete removes an unused set", async (t) => {
	const { db } = await makeChannelIntegration();
	const spare = await makeFolders();
	assertSucceeded(
		t,
		addWorkingFolders(db, "SPARE", spare.download, spare.upload),
	);
	const run = workingFolders(db, "delete", "spare");
	assertSucceeded(t, run);
	t.is(run.stdout, 'Deleted working folders "SPARE"\n');
	t.deepEqual(
		(await readDatabase(db)).workingFolders.map((folders) => folders.name),
		["MAIN"],
	);
	t.true(existsSync(spare.download), "deleting the record leaves the folders");
});

test("deleting working folders a data group uses exits 2 naming the group", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		workingFolders(db, "delete", "MAIN"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Working folders "MAIN" is used by channel data group STORES; change those first\n$/,
	);
});

test("an unknown working folders set exits 2 naming it", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		workingFolders(db, "show", "NOPE"),
	);
	assertOneLineError(
		t,
		run,
		2,
		/^cdx: Working folders "NOPE" not found \(see cdx working-folders list\)\n$/,
	);
});

test("--create with a command that does not save exits 2", async (t) => {
	const { db } = await makeChannelIntegration();
	const run = await assertUnchanged(t, db, () =>
		workingFolders(db, "list", "--create"),
	);
	assertOneLineError(t, run, 2, /^cdx: --create is for add and set only/);
});
