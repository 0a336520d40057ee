import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { checkWorkingFolder } from "../../source/store/working-folder-access.js";
import { makeTempFolder } from "../helpers/database.js";

test("a folder that exists and can be used is ready", async (t) => {
	const folder = await makeTempFolder();
	t.deepEqual(await checkWorkingFolder(folder, { create: false }), {
		state: "ready",
	});
});

test("a missing folder is reported, not created, without create", async (t) => {
	const folder = join(await makeTempFolder(), "download");
	t.deepEqual(await checkWorkingFolder(folder, { create: false }), {
		state: "missing",
	});
	t.false(existsSync(folder));
});

test("with create, a missing folder and its missing parents are made with mode 0700", async (t) => {
	const root = await makeTempFolder();
	const folder = join(root, "share", "cdx", "download");
	t.deepEqual(await checkWorkingFolder(folder, { create: true }), {
		state: "created",
	});
	for (const each of [join(root, "share"), join(root, "share", "cdx"), folder])
		t.is(statSync(each).mode & 0o777, 0o700, each);
});

test("a file where a folder should be is unusable", async (t) => {
	const file = join(await makeTempFolder(), "download");
	await writeFile(file, "");
	t.deepEqual(await checkWorkingFolder(file, { create: true }), {
		state: "unusable",
		reason: "is not a folder",
	});
});

test("a folder below a file cannot be created, and says why", async (t) => {
	const file = join(await makeTempFolder(), "file");
	await writeFile(file, "");
	const found = await checkWorkingFolder(join(file, "download"), {
		create: true,
	});
	t.is(found.state, "unusable");
});

test("creating a folder where mkdir answers ENOENT for a parent that exists (/proc) fails instead of looping", async (t) => {
	if (!existsSync("/proc/self")) {
		t.pass("no /proc here");
		return;
	}
	const found = await checkWorkingFolder("/proc/cdx-test/download", {
		create: true,
	});
	t.like(found, { state: "unusable" });
});

test("an existing folder is left with its mode", async (t) => {
	const folder = join(await makeTempFolder(), "download");
	await mkdir(folder, { mode: 0o755 });
	t.deepEqual(await checkWorkingFolder(folder, { create: true }), {
		state: "ready",
	});
	t.is(statSync(folder).mode & 0o777, 0o755);
});
