import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import test from "ava";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	makeProfiles,
	makeTempDatabase,
	makeTempFolder,
	readDatabase,
} from "../helpers/database.js";
import { fileSizeLimitUnavailable, testNeeding } from "../helpers/mounts.js";
import { finished, spawnTypeScript } from "../helpers/processes.js";

const draft = (name: string, description = "") => ({
	...profileKind.emptyDraft(),
	name,
	description,
	downloadIntervalMinutes: "15",
	uploadIntervalMinutes: "30",
});

test("db.json holds one record per line and reads back as it was saved", async (t) => {
	const path = await makeTempDatabase(makeProfiles(3));
	const store = await ConfigurationStore.open(path);
	const saved = await store.save(profileKind, draft("NEW", 'a "quoted" Grüße'));
	t.true(saved.ok);
	const text = await readFile(path, "utf8");
	const lines = text.split("\n");
	for (const name of ["PROFILE-1", "PROFILE-2", "PROFILE-3", "NEW"])
		t.is(lines.filter((line) => line.includes(`"name":"${name}"`)).length, 1);
	t.true(text.endsWith("}\n"));
	t.deepEqual(await readDatabase(path), store.getSnapshot().configuration);
});

test("a save after another store saved keeps what the other one saved", async (t) => {
	const path = await makeTempDatabase(makeProfiles(2));
	const mine = await ConfigurationStore.open(path);
	const theirs = await ConfigurationStore.open(path);
	t.true((await mine.save(profileKind, draft("MINE-1"))).ok);
	t.true((await theirs.save(profileKind, draft("THEIRS-1"))).ok);
	t.true((await mine.save(profileKind, draft("MINE-2"))).ok);
	const names = (await readDatabase(path)).profiles.map(
		(profile) => profile.name,
	);
	t.deepEqual(names, [
		"PROFILE-1",
		"PROFILE-2",
		"MINE-1",
		"THEIRS-1",
		"MINE-2",
	]);
});

test("a reload after another store saved shows its save; one after an own save changes nothing", async (t) => {
	const path = await makeTempDatabase(makeProfiles(2));
	const mine = await ConfigurationStore.open(path);
	const theirs = await ConfigurationStore.open(path);
	t.true((await mine.save(profileKind, draft("MINE"))).ok);
	const before = mine.getSnapshot();
	await mine.reload();
	t.is(mine.getSnapshot(), before);
	t.true((await theirs.save(profileKind, draft("THEIRS"))).ok);
	await mine.reload();
	t.deepEqual(
		mine.getSnapshot().configuration.profiles.map((profile) => profile.name),
		["PROFILE-1", "PROFILE-2", "MINE", "THEIRS"],
	);
});

const sizeLimitTest = testNeeding(fileSizeLimitUnavailable());

// Root ignores permission bits; a file size limit fails the write itself (EFBIG).
sizeLimitTest(
	"a save the disk refused is not part of the next save",
	async (t) => {
		const path = await makeTempDatabase(makeProfiles(20));
		// Once saved, the file is in the format the store writes.
		const store = await ConfigurationStore.open(path);
		t.true((await store.save(profileKind, draft("FIRST"))).ok);
		const size = (await stat(path)).size;
		const script = join(await makeTempFolder(), "two-saves.mts");
		const source = (module: string) =>
			JSON.stringify(pathToFileURL(join(process.cwd(), "source", module)).href);
		await writeFile(
			script,
			`process.on("SIGXFSZ", () => {});
import { profileKind } from ${source("domain/profile.ts")};
import { ConfigurationStore } from ${source("store/configuration-store.ts")};
const draft = (name, description) => ({ ...profileKind.emptyDraft(), name, description, downloadIntervalMinutes: "15", uploadIntervalMinutes: "30" });
const store = await ConfigurationStore.open(${JSON.stringify(path)});
for (const [name, description] of [["TOO-BIG", "x".repeat(3000)], ["SMALL", ""]]) {
	const outcome = await store.save(profileKind, draft(name, description));
	console.log(JSON.stringify({ name, ok: outcome.ok }));
}
`,
		);
		const run = await finished(
			spawnTypeScript(script, [], ["prlimit", `--fsize=${size + 1000}`]),
		);
		t.deepEqual(
			run.lines
				.filter((line) => line.startsWith("{"))
				.map((line) => JSON.parse(line)),
			[
				{ name: "TOO-BIG", ok: false },
				{ name: "SMALL", ok: true },
			],
			run.stderr,
		);
		const names = (await readDatabase(path)).profiles.map(
			(profile) => profile.name,
		);
		t.false(names.includes("TOO-BIG"));
		t.true(names.includes("SMALL"));
	},
);

type StoreFile = {
	read: () => Promise<unknown>;
	write: (configuration: unknown, lock: unknown) => Promise<void>;
};
const fileOf = (store: ConfigurationStore) =>
	(store as unknown as { file: StoreFile }).file;

/** A promise, and the function that resolves it. */
function gate(): { passed: Promise<void>; open: () => void } {
	let open: () => void = () => {};
	const passed = new Promise<void>((resolve) => {
		open = resolve;
	});
	return { passed, open };
}

/** Holds the store's next read of db.json, once it has read, until `until`; the promise says it has read. */
function holdNextRead(
	store: ConfigurationStore,
	until: Promise<void>,
): Promise<void> {
	const file = fileOf(store);
	const realRead = file.read.bind(file);
	const read = gate();
	file.read = async () => {
		file.read = realRead;
		const found = await realRead();
		read.open();
		await until;
		return found;
	};
	return read.passed;
}

/** Their save on disk, then a reload of mine reading it, held by `hold`, while mine saves MINE. */
async function saveDuringReload(
	hold: (mine: ConfigurationStore) => {
		release: Promise<void>;
		after?: () => void;
	},
): Promise<{ shown: string[]; onDisk: string[] }> {
	const path = await makeTempDatabase(makeProfiles(1));
	const mine = await ConfigurationStore.open(path);
	const theirs = await ConfigurationStore.open(path);
	await theirs.save(profileKind, draft("THEIRS"));
	const { release, after } = hold(mine);
	const haveRead = holdNextRead(mine, release);
	const reloading = mine.reload();
	await haveRead;
	await mine.save(profileKind, draft("MINE"));
	after?.();
	await reloading;
	return {
		shown: mine
			.getSnapshot()
			.configuration.profiles.map((profile) => profile.name),
		onDisk: (await readDatabase(path)).profiles.map((profile) => profile.name),
	};
}

test("a reload that read the file before this store's own save does not show the older file after it", async (t) => {
	const released = gate();
	const { shown, onDisk } = await saveDuringReload(() => ({
		release: released.passed,
		after: released.open,
	}));
	t.true(shown.includes("MINE"), shown.join(", "));
	t.deepEqual(shown, onDisk);
});

test("a reload that read the file before this store's save, and ends while the save lets go of the lock, does not hide the save", async (t) => {
	// The reload's read of their save ends just after my save is on disk.
	const written = gate();
	const { shown, onDisk } = await saveDuringReload((mine) => {
		const file = fileOf(mine);
		const realWrite = file.write.bind(file);
		file.write = async (configuration, lock) => {
			await realWrite(configuration, lock);
			written.open();
		};
		return { release: written.passed };
	});
	t.true(shown.includes("MINE"), shown.join(", "));
	t.deepEqual(shown, onDisk);
});
