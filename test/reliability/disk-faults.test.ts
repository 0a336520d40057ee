import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { addProfileArgs, buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import {
	assertOneLineError,
	assertSucceeded,
	escapeRegExp,
} from "../helpers/cli-assertions.js";
import { makeProfiles, readBytes } from "../helpers/database.js";
import {
	fillUp,
	mountTmpfs,
	type TmpfsMount,
	testNeeding,
	tmpfsUnavailable,
} from "../helpers/mounts.js";
import { fillForm, keys, openForm } from "../helpers/render-app.js";

test.before(() => {
	buildCdxIfMissing();
});

// A tiny tmpfs stands for a full or read-only disk. Where this process may
// not mount one (not root, no CAP_SYS_ADMIN), these tests are skipped, and say why.
const mountTest = testNeeding(tmpfsUnavailable(), { serial: true });

/** A 1 MiB tmpfs of the test's own, unmounted after it. */
async function withMount(t: ExecutionContext): Promise<TmpfsMount> {
	const mount = await mountTmpfs(1024 * 1024);
	t.teardown(() => mount.unmount());
	return mount;
}

const draft = (name: string) => ({
	...profileKind.emptyDraft(),
	name,
	downloadIntervalMinutes: "15",
	uploadIntervalMinutes: "30",
});

/** A database of 20 profiles on the mount, as a store wrote it. */
async function databaseOn(mount: TmpfsMount): Promise<string> {
	const path = join(mount.path, "db.json");
	const store = await ConfigurationStore.open(path);
	for (const profile of makeProfiles(20))
		await store.save(profileKind, draft(profile.name));
	return path;
}

const add = (db: string, name: string) => runCdx(addProfileArgs(db, name));

mountTest(
	"a full disk: the save is refused as write-failed, the file is intact, and the same store saves once there is room",
	async (t) => {
		const mount = await withMount(t);
		const path = await databaseOn(mount);
		const store = await ConfigurationStore.open(path);
		const before = await readBytes(path);
		const filler = await fillUp(mount.path);

		const outcome = await store.save(profileKind, draft("ONE-MORE"));
		t.deepEqual(outcome, {
			ok: false,
			reason: "write-failed",
			message: `${path}: not saved: no space left on the device (ENOSPC); the file on disk is unchanged`,
		});
		t.deepEqual(await readBytes(path), before);
		t.deepEqual(
			(await readdir(mount.path)).sort(),
			["db.json", "filler"],
			"no temporary file or lock left behind",
		);

		await rm(filler);
		const retried = await store.save(profileKind, draft("ONE-MORE"));
		t.true(retried.ok, JSON.stringify(retried));
		t.is(store.getSnapshot().configuration.profiles.length, 21);
	},
);

mountTest(
	"a full disk: cdx profile add exits 1 with one line, list still works, db.json is byte-identical",
	async (t) => {
		const mount = await withMount(t);
		const path = await databaseOn(mount);
		const before = await readBytes(path);
		await fillUp(mount.path);
		assertOneLineError(
			t,
			add(path, "ONE-MORE"),
			1,
			new RegExp(
				`^cdx: ${escapeRegExp(path)}: not saved: no space left on the device \\(ENOSPC\\); the file on disk is unchanged\\n$`,
			),
		);
		const list = runCdx(["profile", "list", "--db", path]);
		assertSucceeded(t, list);
		t.is(list.stdout.trim().split("\n").length, 21);
		t.deepEqual(await readBytes(path), before);
	},
);

mountTest(
	"a read-only file system: the save is refused as write-failed with EROFS, and works again once it is writable",
	async (t) => {
		const mount = await withMount(t);
		const path = await databaseOn(mount);
		const before = await readBytes(path);
		mount.setReadOnly(true);
		// Opening only reads: a read-only database can still be shown.
		const store = await ConfigurationStore.open(path);
		t.is(store.getSnapshot().configuration.profiles.length, 20);
		const outcome = await store.save(profileKind, draft("ONE-MORE"));
		t.deepEqual(outcome, {
			ok: false,
			reason: "write-failed",
			message: `${path}: not saved: the file system is read-only (EROFS); the file on disk is unchanged`,
		});
		t.deepEqual(await readBytes(path), before);
		mount.setReadOnly(false);
		t.true((await store.save(profileKind, draft("ONE-MORE"))).ok);
	},
);

mountTest(
	"a read-only file system: cdx profile add and import exit 1 with one line; list, show and export still work",
	async (t) => {
		const mount = await withMount(t);
		const path = await databaseOn(mount);
		const exported = runCdx(["export", "--db", path]);
		assertSucceeded(t, exported);
		const exportFile = join(mount.path, "..", "export.json");
		await writeFile(exportFile, exported.stdout);
		const before = await readBytes(path);
		mount.setReadOnly(true);
		const refused = new RegExp(
			`^cdx: ${escapeRegExp(path)}: not saved: the file system is read-only \\(EROFS\\); the file on disk is unchanged\\n$`,
		);
		assertOneLineError(t, add(path, "ONE-MORE"), 1, refused);
		assertOneLineError(
			t,
			runCdx(["import", exportFile, "--db", path]),
			1,
			refused,
		);
		assertSucceeded(t, runCdx(["profile", "list", "--db", path]));
		assertSucceeded(t, runCdx(["profile", "show", "PROFILE-1", "--db", path]));
		assertSucceeded(t, runCdx(["export", "--db", path]));
		t.deepEqual(await readBytes(path), before);
	},
);

mountTest(
	"a read-only file system: cdx cannot create a database there and says why in one line",
	async (t) => {
		const mount = await withMount(t);
		mount.setReadOnly(true);
		const path = join(mount.path, "db.json");
		assertOneLineError(
			t,
			add(path, "FIRST"),
			1,
			new RegExp(
				`^cdx: ${escapeRegExp(path)}: cannot be created: the file system is read-only \\(EROFS\\)\\n$`,
			),
		);
	},
);

mountTest(
	"the TUI on a full disk shows the refusal, keeps what was typed, and saves it once there is room",
	async (t) => {
		const mount = await withMount(t);
		const path = await databaseOn(mount);
		const before = await readBytes(path);
		const filler = await fillUp(mount.path);
		const app = await openForm(path, "async");
		t.teardown(app.unmount);
		await app.press("n");
		await app.waitFor("New Async Server profile");
		await fillForm(app, ["FULL-DISK", "typed on a full disk", "15", "30"]);
		await app.press(keys.ctrlS);
		await app.waitFor("(ENOSPC); the file on disk is unchanged");
		t.true(app.screen().includes("typed on a full disk"), "the form is kept");
		t.deepEqual(await readBytes(path), before);
		await rm(filler);
		await app.press(keys.ctrlS);
		await app.waitFor('Saved Async Server profile "FULL-DISK"');
	},
);
