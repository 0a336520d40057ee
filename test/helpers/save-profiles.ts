/**
 * Another operator in its own process, for store tests that need real
 * concurrency, kills or resource limits:
 *
 *   node --import=tsx test/helpers/save-profiles.ts DB PREFIX COUNT
 *
 * opens the database at DB and adds profiles named PREFIX-1, PREFIX-2, …,
 * COUNT of them, or until killed when COUNT is "forever". Prints "ready" once
 * the store is open, then one JSON line per save, after it finished:
 * {"name", "ok", "reason"?, "message"?}. Exits 1 if any save was refused.
 */
import { profileKind } from "../../source/domain/profile.js";
import {
	ConfigurationStore,
	describeRefusal,
} from "../../source/store/configuration-store.js";

// Tests fail writes with a file size limit (RLIMIT_FSIZE), the one write
// failure root cannot bypass. Past the limit the kernel sends SIGXFSZ, and
// signal-exit (via proper-lockfile) would re-raise it and kill this process;
// with a listener of our own the write fails with EFBIG instead, as a full
// disk fails it with ENOSPC.
process.on("SIGXFSZ", () => {});

const [path, prefix, countText] = process.argv.slice(2);
if (!path || !prefix || !countText) {
	process.stderr.write("usage: save-profiles.ts DB PREFIX COUNT|forever\n");
	process.exit(2);
}
const count =
	countText === "forever" ? Number.POSITIVE_INFINITY : Number(countText);

const store = await ConfigurationStore.open(path, {
	author: `${prefix}@save-profiles`,
});
process.stdout.write("ready\n");

let refused = 0;
for (let index = 1; index <= count; index += 1) {
	const name = `${prefix}-${index}`;
	const outcome = await store.save(profileKind, {
		name,
		description: `saved by ${prefix}`,
		downloadIntervalMinutes: String((index % 1440) + 1),
		uploadIntervalMinutes: "30",
	});
	if (!outcome.ok) refused += 1;
	process.stdout.write(
		`${JSON.stringify(
			outcome.ok
				? { name, ok: true }
				: {
						name,
						ok: false,
						reason: outcome.reason,
						message: describeRefusal(outcome),
					},
		)}\n`,
	);
}
process.exitCode = refused > 0 ? 1 : 0;
