import test from "ava";
import { emptyConfiguration } from "../../source/domain/configuration.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import {
	makeProfile,
	makeTempDatabase,
	readDatabase,
} from "../helpers/database.js";

const importedAt = new Date("2026-11-26T10:00:00.000Z");

test("replaceConfiguration writes the new records in one save, one version past those it keeps", async (t) => {
	const kept = makeProfile("KEPT", { version: 4 });
	const db = await makeTempDatabase([kept, makeProfile("DROPPED")]);
	const store = await ConfigurationStore.open(db, {
		author: "importer@store",
		now: () => importedAt,
	});
	const outcome = await store.replaceConfiguration({
		...emptyConfiguration(),
		profiles: [
			{ ...kept, uploadIntervalMinutes: 45 },
			makeProfile("NEW", { version: 0 }),
		],
		parameters: { ...emptyConfiguration().parameters, tryCount: 0 },
	});
	t.deepEqual(outcome, { ok: true });
	const saved = await readDatabase(db);
	t.deepEqual(
		saved.profiles.map(({ name, version }) => ({ name, version })),
		[
			{ name: "KEPT", version: 5 },
			{ name: "NEW", version: 1 },
		],
	);
	t.like(saved.profiles[0], {
		id: kept.id,
		uploadIntervalMinutes: 45,
		modifiedAt: importedAt.toISOString(),
		modifiedBy: "importer@store",
	});
	t.like(saved.parameters, { tryCount: 0, version: 1, id: "parameters" });
	t.is(store.getSnapshot().configuration.profiles.length, 2);
});
