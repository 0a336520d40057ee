import { readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import {
	type AsyncServerProfileFields,
	currentSchemaVersion,
	emptyConfiguration,
} from "../../source/domain/configuration.js";
import { profileKind } from "../../source/domain/profile.js";
import type { SaveOutcome } from "../../source/domain/record-changes.js";
import {
	ConfigurationStore,
	type StoreOptions,
} from "../../source/store/configuration-store.js";
import { DatabaseFileError } from "../../source/store/errors.js";
import {
	makeConfiguration,
	makeProfile,
	makeProfiles,
	makeTempDatabase,
	makeTempDatabasePath,
	makeTempFolder,
	profileDraft,
	readBytes,
	readDatabase,
	writeTempDatabase,
} from "../helpers/database.js";
import { fileSizeLimitUnavailable, testNeeding } from "../helpers/mounts.js";
import {
	finished,
	saveProfilesScript,
	saveReports,
	spawnTypeScript,
} from "../helpers/processes.js";
import { waitUntil } from "../helpers/wait.js";

const nineFifteen = new Date("2026-11-26T09:15:00.000Z");
const at = (date: Date) => () => date;

function openAs(author: string, path: string, options: StoreOptions = {}) {
	return ConfigurationStore.open(path, { author, ...options });
}

/** The saved record, or a failed test naming why the save was refused. */
function savedRecord(
	t: ExecutionContext,
	outcome: SaveOutcome<AsyncServerProfileFields>,
) {
	if (!outcome.ok) {
		t.fail(`save refused: ${JSON.stringify(outcome)}`);
		throw new Error("save refused");
	}
	return outcome.record;
}

function profilesIn(store: ConfigurationStore) {
	return store.getSnapshot().configuration.profiles;
}

const fileMode = async (path: string) => (await stat(path)).mode & 0o777;

// Opening

test("open creates the database folder with mode 0700", async (t) => {
	const path = join(await makeTempFolder(), "cdx-scheduler", "db.json");
	await ConfigurationStore.open(path);
	t.is(await fileMode(dirname(path)), 0o700);
});

test("open creates the database file with mode 0600", async (t) => {
	const path = await makeTempDatabasePath();
	await ConfigurationStore.open(path);
	t.is(await fileMode(path), 0o600);
});

test("open creates an empty configuration with the schema version and no sample rows", async (t) => {
	const path = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(path);
	const written = await readDatabase(path);
	t.deepEqual(written, emptyConfiguration());
	t.is(written.schemaVersion, currentSchemaVersion);
	const lists = Object.values(written).filter((value) => Array.isArray(value));
	t.true(lists.length > 0);
	t.true(
		lists.every((list) => list.length === 0),
		"no sample rows",
	);
	t.deepEqual(profilesIn(store), []);
});

test("open leaves an existing database byte-identical", async (t) => {
	const path = await makeTempDatabase([makeProfile("FLAGSHIP")]);
	const before = await readBytes(path);
	const store = await ConfigurationStore.open(path);
	t.deepEqual(await readBytes(path), before);
	t.is(profilesIn(store)[0]?.name, "FLAGSHIP");
});

// Saving

test("a new profile is saved with version 1, its author and the time", async (t) => {
	const path = await makeTempDatabasePath();
	const store = await openAs("alice@store12", path, { now: at(nineFifteen) });
	const record = savedRecord(t, await store.save(profileKind, profileDraft()));
	t.like(record, {
		name: "STORE-DEFAULT",
		downloadIntervalMinutes: 15,
		version: 1,
		modifiedBy: "alice@store12",
		modifiedAt: "2026-11-26T09:15:00.000Z",
	});
	t.deepEqual((await readDatabase(path)).profiles, [record]);
});

test("an edit bumps the version and records who changed it and when", async (t) => {
	const path = await makeTempDatabasePath();
	const alice = await openAs("alice@store12", path, { now: at(nineFifteen) });
	const created = savedRecord(t, await alice.save(profileKind, profileDraft()));
	const bob = await openAs("bob@hq", path, {
		now: at(new Date("2026-11-26T10:00:00.000Z")),
	});
	const edited = savedRecord(
		t,
		await bob.save(
			profileKind,
			profileDraft({ downloadIntervalMinutes: "5" }),
			{
				id: created.id,
				expectedVersion: 1,
			},
		),
	);
	t.like(edited, {
		id: created.id,
		downloadIntervalMinutes: 5,
		version: 2,
		modifiedBy: "bob@hq",
		modifiedAt: "2026-11-26T10:00:00.000Z",
	});
	t.deepEqual((await readDatabase(path)).profiles, [edited]);
});

test("the file stays mode 0600 after a save replaces it", async (t) => {
	const path = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(path);
	await store.save(profileKind, profileDraft());
	t.is(await fileMode(path), 0o600);
});

test("a save shows up in the saving store's snapshot at once", async (t) => {
	const store = await ConfigurationStore.open(await makeTempDatabasePath());
	await store.save(profileKind, profileDraft());
	t.deepEqual(
		profilesIn(store).map((profile) => profile.name),
		["STORE-DEFAULT"],
	);
});

test("a save tells subscribers", async (t) => {
	const store = await ConfigurationStore.open(await makeTempDatabasePath());
	let calls = 0;
	const unsubscribe = store.subscribe(() => {
		calls += 1;
	});
	await store.save(profileKind, profileDraft());
	unsubscribe();
	t.true(calls > 0);
});

/**
 * Bob saves a profile, then Alice (saving at 09:15) changes its download
 * interval to 5: what Bob opened, version 1, is stale.
 */
async function staleForBob(t: ExecutionContext, path: string) {
	const alice = await openAs("alice@store12", path, { now: at(nineFifteen) });
	const bob = await openAs("bob@hq", path);
	const created = savedRecord(t, await bob.save(profileKind, profileDraft()));
	await alice.save(
		profileKind,
		profileDraft({ downloadIntervalMinutes: "5" }),
		{ id: created.id, expectedVersion: 1 },
	);
	return { bob, created };
}

test("a save with a stale version is refused as a conflict naming who changed it", async (t) => {
	const { bob, created } = await staleForBob(t, await makeTempDatabasePath());
	const outcome = await bob.save(
		profileKind,
		profileDraft({ downloadIntervalMinutes: "60" }),
		{ id: created.id, expectedVersion: 1 },
	);
	t.deepEqual(outcome, {
		ok: false,
		reason: "conflict",
		message:
			"alice@store12 changed this Async Server profile at 2026-11-26 09:15:00 UTC, after you opened it",
	});
});

test("a save refused as a conflict keeps the other operator's values in the file", async (t) => {
	const path = await makeTempDatabasePath();
	const { bob, created } = await staleForBob(t, path);
	await bob.save(profileKind, profileDraft({ downloadIntervalMinutes: "60" }), {
		id: created.id,
		expectedVersion: 1,
	});
	t.like((await readDatabase(path)).profiles[0], {
		downloadIntervalMinutes: 5,
		version: 2,
		modifiedBy: "alice@store12",
	});
});

test("editing a profile someone else deleted is refused as not found", async (t) => {
	const path = await makeTempDatabasePath();
	const alice = await openAs("alice@store12", path);
	const bob = await openAs("bob@hq", path);
	const created = savedRecord(t, await bob.save(profileKind, profileDraft()));
	await alice.remove(profileKind, { id: created.id, expectedVersion: 1 });
	const outcome = await bob.save(profileKind, profileDraft(), {
		id: created.id,
		expectedVersion: 1,
	});
	t.like(outcome, { ok: false, reason: "not-found" });
});

test("deleting a profile that changed since it was opened is refused as a conflict", async (t) => {
	const path = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(path);
	const created = savedRecord(t, await store.save(profileKind, profileDraft()));
	await store.save(profileKind, profileDraft({ uploadIntervalMinutes: "45" }), {
		id: created.id,
		expectedVersion: 1,
	});
	const outcome = await store.remove(profileKind, {
		id: created.id,
		expectedVersion: 1,
	});
	t.like(outcome, { ok: false, reason: "conflict" });
	t.is((await readDatabase(path)).profiles.length, 1);
});

test("a delete removes the profile from the file", async (t) => {
	const path = await makeTempDatabase([makeProfile("FLAGSHIP")]);
	const store = await ConfigurationStore.open(path);
	const outcome = await store.remove(profileKind, {
		id: "id-FLAGSHIP",
		expectedVersion: 1,
	});
	t.true(outcome.ok);
	t.deepEqual((await readDatabase(path)).profiles, []);
});

test("invalid input is refused with each field's problem", async (t) => {
	const store = await ConfigurationStore.open(await makeTempDatabasePath());
	const outcome = await store.save(
		profileKind,
		profileDraft({ downloadIntervalMinutes: "abc" }),
	);
	t.deepEqual(outcome, {
		ok: false,
		reason: "invalid",
		problems: [
			{
				field: "downloadIntervalMinutes",
				label: "Data download interval in minutes",
				message: 'must be a whole number from 1 to 1440 (got "abc")',
			},
		],
	});
});

test("invalid input leaves the file byte-identical", async (t) => {
	const path = await makeTempDatabase([makeProfile("FLAGSHIP")]);
	const store = await ConfigurationStore.open(path);
	const before = await readBytes(path);
	await store.save(profileKind, profileDraft({ name: "flagship" }));
	t.deepEqual(await readBytes(path), before);
});

// Two operators on one file

test("each of two stores on one file sees the other's save after reload", async (t) => {
	const path = await makeTempDatabasePath();
	const alice = await openAs("alice@store12", path);
	const bob = await openAs("bob@hq", path);
	await alice.save(profileKind, profileDraft({ name: "FROM-ALICE" }));
	await bob.reload();
	t.deepEqual(
		profilesIn(bob).map((profile) => profile.name),
		["FROM-ALICE"],
	);
	await bob.save(profileKind, profileDraft({ name: "FROM-BOB" }));
	await alice.reload();
	t.deepEqual(
		profilesIn(alice).map((profile) => profile.name),
		["FROM-ALICE", "FROM-BOB"],
	);
});

test("a save keeps another store's save made after this store last read", async (t) => {
	const path = await makeTempDatabasePath();
	const alice = await openAs("alice@store12", path);
	const bob = await openAs("bob@hq", path);
	await alice.save(profileKind, profileDraft({ name: "FROM-ALICE" }));
	await bob.save(profileKind, profileDraft({ name: "FROM-BOB" }));
	t.deepEqual(
		(await readDatabase(path)).profiles.map((profile) => profile.name),
		["FROM-ALICE", "FROM-BOB"],
	);
});

test("watch picks up another store's save within a second", async (t) => {
	const path = await makeTempDatabasePath();
	const watching = await ConfigurationStore.open(path);
	t.teardown(watching.watch());
	const other = await ConfigurationStore.open(path);
	await other.save(profileKind, profileDraft({ name: "FROM-OTHER" }));
	await waitUntil(
		() => profilesIn(watching).length === 1,
		"the watched snapshot to show the other store's profile",
	);
	t.is(profilesIn(watching)[0]?.name, "FROM-OTHER");
});

test("watch picks up a hand edit written in place within a second", async (t) => {
	const path = await makeTempDatabasePath();
	const watching = await ConfigurationStore.open(path);
	t.teardown(watching.watch());
	await writeFile(
		path,
		JSON.stringify(makeConfiguration([makeProfile("BY-HAND")])),
	);
	await waitUntil(
		() => profilesIn(watching).length === 1,
		"the watched snapshot to show the hand-edited profile",
	);
	t.is(profilesIn(watching)[0]?.name, "BY-HAND");
});

test("a file broken on disk keeps the last good configuration and says what is wrong", async (t) => {
	const path = await makeTempDatabase([makeProfile("FLAGSHIP")]);
	const store = await ConfigurationStore.open(path);
	await writeFile(path, "{ not json");
	await store.reload();
	const snapshot = store.getSnapshot();
	t.is(snapshot.configuration.profiles[0]?.name, "FLAGSHIP");
	t.true(snapshot.problem?.startsWith(`${path}: not valid JSON`));
});

test("a file removed on disk keeps the last configuration and says so", async (t) => {
	const path = await makeTempDatabase([makeProfile("FLAGSHIP")]);
	const store = await ConfigurationStore.open(path);
	await rm(path);
	await store.reload();
	const snapshot = store.getSnapshot();
	t.is(snapshot.configuration.profiles[0]?.name, "FLAGSHIP");
	t.is(
		snapshot.problem,
		`${path}: the file was removed; showing the last version read`,
	);
});

// Files the store must not touch

async function assertRefusedUntouched(
	t: ExecutionContext,
	text: string,
	explanation: string,
) {
	const path = await writeTempDatabase(text);
	const error = await t.throwsAsync(ConfigurationStore.open(path), {
		instanceOf: DatabaseFileError,
	});
	t.true(error?.message.startsWith(`${path}: `), error?.message);
	t.true(error?.message.includes(explanation), error?.message);
	t.deepEqual(await readBytes(path), Buffer.from(text));
}

test("a file that is not JSON is refused, named and left byte-identical", async (t) => {
	await assertRefusedUntouched(
		t,
		'{"schemaVersion": 1, "profiles": [',
		"not valid JSON",
	);
});

test("a file from a newer cdx-scheduler is refused, named and left byte-identical", async (t) => {
	await assertRefusedUntouched(
		t,
		JSON.stringify({
			...emptyConfiguration(),
			schemaVersion: currentSchemaVersion + 1,
		}),
		`written by a newer cdx-scheduler (schema version ${currentSchemaVersion + 1}`,
	);
});

test("a file without a schema version is refused, named and left byte-identical", async (t) => {
	await assertRefusedUntouched(
		t,
		JSON.stringify({ ...emptyConfiguration(), schemaVersion: undefined }),
		"not a cdx-scheduler database",
	);
});

test("a file whose profiles are not a list is refused, named and left byte-identical", async (t) => {
	await assertRefusedUntouched(
		t,
		JSON.stringify({ ...emptyConfiguration(), profiles: { FLAGSHIP: {} } }),
		'"profiles" must be a list',
	);
});

test("a profile with a text interval is refused, named and left byte-identical", async (t) => {
	await assertRefusedUntouched(
		t,
		JSON.stringify({
			...emptyConfiguration(),
			profiles: [
				makeProfile("FLAGSHIP"),
				{ ...makeProfile("OUTLET"), uploadIntervalMinutes: "30" },
			],
		}),
		"profiles[1].uploadIntervalMinutes must be a finite number",
	);
});

test("a save over a file that turned corrupt is refused and leaves it byte-identical", async (t) => {
	const path = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(path);
	await writeFile(path, "{ not json");
	const outcome = await store.save(profileKind, profileDraft());
	t.like(outcome, { ok: false, reason: "write-failed" });
	t.deepEqual(await readBytes(path), Buffer.from("{ not json"));
});

// Failures of the disk, kills and other processes

const sizeLimitTest = testNeeding(fileSizeLimitUnavailable());

// Root ignores permission bits, so a read-only folder cannot make a save fail
// in this test environment; a file size limit (RLIMIT_FSIZE) fails the write
// itself with EFBIG, after the lock is taken and the temporary file created.
sizeLimitTest(
	"a save the disk refuses is reported as write-failed and leaves the old file intact",
	async (t) => {
		const path = await makeTempDatabase(makeProfiles(200));
		const before = await readBytes(path);
		const limit = 16_384;
		t.true(before.length > limit, "the database outgrows the file size limit");
		const run = await finished(
			spawnTypeScript(
				saveProfilesScript,
				[path, "NEW", "1"],
				["prlimit", `--fsize=${limit}`],
			),
		);
		const [report] = saveReports(run.lines);
		t.like(report, { ok: false, reason: "write-failed" }, run.stderr);
		t.regex(
			report?.message ?? "",
			new RegExp(
				`^${escapeRegExp(path)}: not saved: .*EFBIG.*; the file on disk is unchanged$`,
			),
		);
		t.deepEqual(await readBytes(path), before);
		t.deepEqual(await readdir(dirname(path)), ["db.json"]);
	},
);

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
