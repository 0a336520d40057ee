import test from "ava";
import { emptyConfiguration } from "../../source/domain/configuration.js";
import { profileKind } from "../../source/domain/profile.js";
import {
	changeRecord,
	type Editor,
	removeRecord,
	replaceAll,
	requestFullSync,
	saveParameters,
	saveRecord,
	stamp,
} from "../../source/domain/record-changes.js";
import { parametersToDraft } from "../../source/domain/scheduler-parameters.js";
import { makeConfiguration, makeProfile } from "../helpers/database.js";

const editor: Editor = {
	at: new Date("2026-12-01T10:00:00.000Z"),
	by: "bob@store",
	newId: () => "new-id",
};

const stores = makeProfile("STORES", { description: "as stored" });

test("stamp gives the id, the next version, the time and the author", (t) => {
	t.deepEqual(stamp({ name: "X" }, "id-1", 4, editor), {
		name: "X",
		id: "id-1",
		version: 5,
		modifiedAt: "2026-12-01T10:00:00.000Z",
		modifiedBy: "bob@store",
	});
});

test("saveRecord adds a record with a new id at version 1", (t) => {
	const change = saveRecord(
		makeConfiguration(),
		profileKind,
		{
			...profileKind.emptyDraft(),
			name: "NEW",
			downloadIntervalMinutes: "5",
			uploadIntervalMinutes: "10",
		},
		undefined,
		editor,
	);
	if (!change.ok || !change.result.ok) return t.fail("refused");
	t.is(change.result.record.id, "new-id");
	t.is(change.result.record.version, 1);
	t.deepEqual(
		change.next.profiles.map((profile) => profile.name),
		["NEW"],
	);
});

test("saveRecord refuses a form's save when the record moved past the version it showed, naming who and when", (t) => {
	const change = saveRecord(
		makeConfiguration([stores]),
		profileKind,
		profileKind.toDraft(stores, makeConfiguration()),
		{ id: stores.id, expectedVersion: 0 },
		editor,
	);
	t.false(change.ok);
	t.like(change.result, {
		ok: false,
		reason: "conflict",
		message:
			"tester@store changed this Async Server profile at 2026-11-26 08:00:00 UTC, after you opened it",
	});
});

test("saveRecord refuses an invalid draft with the field's problem and changes nothing", (t) => {
	const change = saveRecord(
		makeConfiguration(),
		profileKind,
		{ ...profileKind.emptyDraft(), name: "" },
		undefined,
		editor,
	);
	t.false(change.ok);
	t.is(change.result.ok ? "" : change.result.reason, "invalid");
});

test("changeRecord changes only the named fields of the record as it is now", (t) => {
	// Someone else saved version 7 with another description since the command looked.
	const now = makeProfile("STORES", { version: 7, description: "theirs" });
	const change = changeRecord(
		makeConfiguration([now]),
		profileKind,
		now.id,
		{ downloadIntervalMinutes: "9" },
		editor,
	);
	if (!change.ok || !change.result.ok) return t.fail("refused");
	t.like(change.result.record, {
		version: 8,
		description: "theirs",
		downloadIntervalMinutes: 9,
	});
});

test("changeRecord of a record deleted meanwhile is not-found", (t) => {
	const change = changeRecord(
		makeConfiguration(),
		profileKind,
		"gone",
		{ description: "x" },
		editor,
	);
	t.false(change.ok);
	t.is(change.result.ok ? "" : change.result.reason, "not-found");
});

test("saveParameters without a version changes only the named parameters", (t) => {
	const configuration = emptyConfiguration();
	const change = saveParameters(
		configuration,
		{ tryCount: "7" },
		undefined,
		editor,
	);
	if (!change.ok || !change.result.ok) return t.fail("refused");
	t.is(change.result.record.tryCount, 7);
	t.is(
		change.result.record.keepPackagesDays,
		configuration.parameters.keepPackagesDays,
	);
	t.is(change.result.record.version, configuration.parameters.version + 1);
});

test("saveParameters with a version refuses when someone saved since", (t) => {
	const configuration = emptyConfiguration();
	const change = saveParameters(
		configuration,
		parametersToDraft(configuration.parameters),
		configuration.parameters.version + 1,
		editor,
	);
	t.is(change.result.ok ? "" : change.result.reason, "conflict");
});

test("requestFullSync of a missing channel database is not-found", (t) => {
	const change = requestFullSync(makeConfiguration(), { id: "x" }, editor);
	t.is(change.result.ok ? "" : change.result.reason, "not-found");
});

test("removeRecord removes the one record and keeps the others", (t) => {
	const other = makeProfile("OTHER");
	const change = removeRecord(makeConfiguration([stores, other]), profileKind, {
		id: stores.id,
	});
	if (!change.ok) return t.fail("refused");
	t.deepEqual(change.next.profiles, [other]);
});

test("removeRecord of a record nothing uses but that moved on is a conflict", (t) => {
	const change = removeRecord(makeConfiguration([stores]), profileKind, {
		id: stores.id,
		expectedVersion: 3,
	});
	t.is(change.result.ok ? "" : change.result.reason, "conflict");
});

test("replaceAll puts each kept record one version past the stored one, new ones at 1", (t) => {
	const current = makeConfiguration([makeProfile("STORES", { version: 4 })]);
	const change = replaceAll(
		current,
		makeConfiguration([
			makeProfile("STORES", { version: 1 }),
			makeProfile("NEW", { version: 9 }),
		]),
		editor,
	);
	if (!change.ok) return t.fail("refused");
	t.deepEqual(
		change.next.profiles.map((profile) => [profile.name, profile.version]),
		[
			["STORES", 5],
			["NEW", 1],
		],
	);
	t.is(change.next.parameters.version, current.parameters.version + 1);
});
