import { mkdir, realpath, symlink } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { realDatabasePath } from "../../source/store/paths.js";
import { makeTempFolder } from "../helpers/database.js";

async function folder(): Promise<string> {
	return realpath(await makeTempFolder());
}

test("a symlinked db.json, a symlinked folder and the real path name one file", async (t) => {
	const root = await folder();
	await mkdir(join(root, "real"));
	await symlink(join(root, "real"), join(root, "folder-link"));
	await mkdir(join(root, "other"));
	await symlink(join(root, "real", "db.json"), join(root, "other", "db.json"));
	const real = join(root, "real", "db.json");
	t.is(await realDatabasePath(real), real);
	t.is(await realDatabasePath(join(root, "folder-link", "db.json")), real);
	t.is(
		await realDatabasePath(join(root, "other", "db.json")),
		real,
		"a link to a file not made yet names where it will be",
	);
});

test("a database in folders that do not exist yet is named under the real path of the nearest one that does", async (t) => {
	const root = await folder();
	await mkdir(join(root, "real"));
	await symlink(join(root, "real"), join(root, "link"));
	t.is(
		await realDatabasePath(join(root, "link", "a", "b", "db.json")),
		join(root, "real", "a", "b", "db.json"),
	);
});

test("a loop of links is refused in one line naming the path", async (t) => {
	const root = await folder();
	await symlink(join(root, "b"), join(root, "a"));
	await symlink(join(root, "a"), join(root, "b"));
	await t.throwsAsync(realDatabasePath(join(root, "a")), {
		message: `${join(root, "a")}: cannot be found: a loop of symbolic links, or too many of them (ELOOP); the file was not changed`,
	});
});
