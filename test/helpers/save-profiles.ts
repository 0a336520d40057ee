/**
 * Another operator in its own process, for store tests that need real
 * concurrency, kills or resource limits:
 *
 *   node --import=tsx test/helpers/save-profiles.ts DB PREFIX COUNT [SHARED]
 *
 * opens the database at DB and adds profiles named PREFIX-1, PREFIX-2, …,
 * COUNT of them, or until killed when COUNT is "forever". Prints "ready" once
 * the store is open, then one JSON line per save, after it finished:
 * {"name", "ok", "reason"?, "message"?}. Exits 1 if any save was refused.
 *
 * With SHARED, the name of an existing profile, every second save instead
 * edits that profile as an editor would: it reads the file, takes the
 * version it finds and saves its description as PREFIX-N against that
 * version. Such lines also carry "edit": true and, when the save landed, the
 * "version" it got; a refusal as a conflict is an expected outcome then.
 */
import { profileKind } from "../../source/domain/profile.js";
import { describeRefusal } from "../../source/domain/record-changes.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";

// Tests fail writes with a file size limit (RLIMIT_FSIZE), the one write
// failure root cannot bypass. Past the limit the kernel sends SIGXFSZ, and
// signal-exit (via proper-lockfile) would re-raise it and kill this process;
// with a listener of our own the write fails with EFBIG instead, as a full
// disk fails it with ENOSPC.
process.on("SIGXFSZ", () => {});

const [path, prefix, countText, shared] = process.argv.slice(2);
if (!path || !prefix || !countText) {
	process.stderr.write(
		"usage: save-profiles.ts DB PREFIX COUNT|forever [SHARED]\n",
	);
	process.exit(2);
}
const count =
	countText === "forever" ? Number.POSITIVE_INFINITY : Number(countText);

const store = await ConfigurationStore.open(path, {
	author: `${prefix}@save-profiles`,
});
process.stdout.write("ready\n");

/** An editor's save of SHARED: the version is the one on disk a moment ago. */
async function editShared(sharedName: string, name: string) {
	await store.reload();
	const current = store
		.getSnapshot()
		.configuration.profiles.find((profile) => profile.name === sharedName);
	if (!current) throw new Error(`no profile ${sharedName} to edit`);
	return store.save(
		profileKind,
		{
			...profileKind.toDraft(current, store.getSnapshot().configuration),
			description: name,
		},
		{ id: current.id, expectedVersion: current.version },
	);
}

let refused = 0;
for (let index = 1; index <= count; index += 1) {
	const name = `${prefix}-${index}`;
	const edit = shared !== undefined && index % 2 === 0;
	const outcome = edit
		? await editShared(shared, name)
		: await store.save(profileKind, {
				name,
				description: `saved by ${prefix}`,
				downloadIntervalMinutes: String((index % 1440) + 1),
				uploadIntervalMinutes: "30",
			});
	if (!outcome.ok) refused += 1;
	const editFields = edit
		? { edit: true, ...(outcome.ok ? { version: outcome.record.version } : {}) }
		: {};
	process.stdout.write(
		`${JSON.stringify(
			outcome.ok
				? { name, ok: true, ...editFields }
				: {
						name,
						ok: false,
						reason: outcome.reason,
						message: describeRefusal(outcome),
						...editFields,
					},
		)}\n`,
	);
}
process.exitCode = refused > 0 ? 1 : 0;
