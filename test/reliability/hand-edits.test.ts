import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import test from "ava";
import fc from "fast-check";
import { profileKind } from "../../source/domain/profile.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { DatabaseFileError } from "../../source/store/errors.js";
import {
	makeTempDatabasePath,
	seedChannelIntegration,
} from "../helpers/database.js";

const collections = [
	"profiles",
	"workingFolders",
	"dataGroups",
	"channelDatabases",
] as const;

/** Numbers JSON.parse reads as ±Infinity, written in the file as they would be typed. */
const hugeNumbers = ["1e309", "-1e309", "1e400", "123e99999", "-9e999"];

/** One hand edit of db.json. */
type Edit =
	| { op: "set"; where: Where; value: unknown }
	| { op: "remove-field"; where: Where }
	| { op: "duplicate"; where: Where; keepId: boolean; upperName: boolean }
	| { op: "huge-number"; where: Where; literal: string }
	| { op: "replace-list"; collection: number; value: unknown }
	| { op: "schema-version"; value: unknown }
	| { op: "byte-order-mark" };

/** A record (or the parameters, collection 4) and one of its fields, each picked by index. */
type Where = { collection: number; record: number; field: number | string };

const where = fc.record<Where>({
	collection: fc.nat(4),
	record: fc.nat(),
	field: fc.oneof(fc.nat(), fc.string({ maxLength: 8 })),
});

// Weighted towards edits a person makes (a field changed, a record copied), so many files still open.
const edit: fc.Arbitrary<Edit> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			op: fc.constant("set" as const),
			where,
			value: fc.jsonValue({ maxDepth: 2 }),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({ op: fc.constant("remove-field" as const), where }),
	},
	{
		weight: 3,
		arbitrary: fc.record({
			op: fc.constant("duplicate" as const),
			where,
			keepId: fc.boolean(),
			upperName: fc.boolean(),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			op: fc.constant("huge-number" as const),
			where,
			literal: fc.constantFrom(...hugeNumbers),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			op: fc.constant("replace-list" as const),
			collection: fc.nat(3),
			value: fc.jsonValue({ maxDepth: 2 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			op: fc.constant("schema-version" as const),
			value: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.jsonValue()),
		}),
	},
	{ weight: 1, arbitrary: fc.constant({ op: "byte-order-mark" as const }) },
);

type Json = Record<string, unknown>;

/** The record `where` picks: one of a list, or the parameters; undefined for an empty list. */
function pick(document: Json, { collection, record }: Where) {
	if (collection === 4) {
		const parameters = document.parameters;
		return typeof parameters === "object" && parameters !== null
			? { list: null, index: 0, record: parameters as Json }
			: undefined;
	}
	const list = document[collections[collection] ?? "profiles"];
	if (!Array.isArray(list) || list.length === 0) return undefined;
	const index = record % list.length;
	const found = list[index];
	return typeof found === "object" && found !== null && !Array.isArray(found)
		? { list, index, record: found as Json }
		: undefined;
}

function fieldName(record: Json, field: number | string): string {
	const keys = Object.keys(record);
	return typeof field === "number"
		? (keys[field % keys.length] ?? "id")
		: field;
}

/** Applies the edits to the parsed file and gives the text to write, as an editor would save it. */
function applyEdits(base: string, edits: Edit[]): string {
	const document = JSON.parse(base) as Json;
	let bom = false;
	const huge: string[] = [];
	for (const change of edits) {
		switch (change.op) {
			case "byte-order-mark":
				bom = true;
				break;
			case "schema-version":
				document.schemaVersion = change.value;
				break;
			case "replace-list":
				document[collections[change.collection] ?? "profiles"] = change.value;
				break;
			default: {
				const target = pick(document, change.where);
				if (target === undefined) break;
				const field = fieldName(target.record, change.where.field);
				if (change.op === "set") target.record[field] = change.value;
				else if (change.op === "remove-field") delete target.record[field];
				else if (change.op === "huge-number") {
					// A marker now, the literal in the text: JSON.stringify cannot write Infinity.
					target.record[field] = `@@huge-${huge.length}@@`;
					huge.push(change.literal);
				} else if (target.list !== null) {
					const copy: Json = { ...target.record };
					if (!change.keepId) copy.id = `${String(copy.id)}-copy`;
					if (change.upperName && typeof copy.name === "string")
						copy.name = copy.name.toUpperCase();
					target.list.splice(target.index + 1, 0, copy);
				}
			}
		}
	}
	let text = JSON.stringify(document, null, "\t");
	huge.forEach((literal, index) => {
		text = text.replace(`"@@huge-${index}@@"`, literal);
	});
	return bom ? `\uFEFF${text}` : text;
}

/** Each field of each record (and of the parameters) the file holds, as JSON text. */
function fieldsOf(document: Json): Map<string, string> {
	const fields = new Map<string, string>();
	const add = (prefix: string, record: Json) => {
		for (const [field, value] of Object.entries(record))
			fields.set(`${prefix}.${field}`, JSON.stringify(value));
	};
	for (const collection of collections) {
		const list = document[collection];
		if (Array.isArray(list))
			list.forEach((record, index) => {
				add(`${collection}[${index}]`, record as Json);
			});
	}
	if (typeof document.parameters === "object" && document.parameters !== null)
		add("parameters", document.parameters as Json);
	return fields;
}

/** Every field the hand-edited file had is in `opened` with the same value. */
function keptEveryField(before: Json, opened: Json): string[] {
	const now = fieldsOf(opened);
	return [...fieldsOf(before)]
		.filter(([field, value]) => now.get(field) !== value)
		.map(([field]) => field);
}

let base = "";

test.before(async () => {
	const path = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(path);
	await seedChannelIntegration(store);
	for (const name of ["NORTH", "SOUTH"])
		await store.save(profileKind, {
			...profileKind.emptyDraft(),
			name,
			downloadIntervalMinutes: "10",
			uploadIntervalMinutes: "20",
		});
	base = await readFile(path, "utf8");
});

const runs = 400;

test(`${runs} hand-edited db.json files: each opens with every record intact and survives the next save, or is refused in one line without a byte changed`, async (t) => {
	const outcomes = { opened: 0, upgraded: 0, refused: 0 };
	const reasons = new Map<string, number>();
	await fc.assert(
		fc.asyncProperty(
			fc.array(edit, { minLength: 1, maxLength: 3 }),
			async (edits) => {
				const text = applyEdits(base, edits);
				const path = await makeTempDatabasePath();
				await writeFile(path, text, { mode: 0o600 });
				let store: ConfigurationStore;
				try {
					store = await ConfigurationStore.open(path);
				} catch (error) {
					if (!(error instanceof DatabaseFileError)) throw error;
					const message = error.message;
					if (!message.startsWith(`${path}: `) || message.includes("\n"))
						throw new Error(`not one line naming the file: ${message}`);
					if ((await readFile(path, "utf8")) !== text)
						throw new Error(`a refused open changed the file (${message})`);
					const names = await readdir(dirname(path));
					if (names.join() !== "db.json")
						throw new Error(`a refused open left ${names.join(", ")}`);
					outcomes.refused += 1;
					// "profiles[3].name must be a string; …" counts as "….name must be a string".
					const reason = (
						message.slice(path.length + 2).split(/; | \(/)[0] ?? ""
					)
						.replace(/^[^ ]*\./, "….")
						.replace(/"[^"]*"/g, "…");
					reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
					return;
				}
				// The file parses (a BOM or a huge number would have been refused above).
				const before = JSON.parse(text) as Json;
				const opened = store.getSnapshot().configuration as unknown as Json;
				const lostOnOpen = keptEveryField(before, opened);
				if (lostOnOpen.length > 0)
					throw new Error(`opening changed ${lostOnOpen.join(", ")}`);
				if (before.schemaVersion !== opened.schemaVersion)
					outcomes.upgraded += 1;
				else outcomes.opened += 1;
				// An unrelated save writes every record back as it was read.
				const saved = await store.save(profileKind, {
					...profileKind.emptyDraft(),
					name: "AFTER-EDIT",
					downloadIntervalMinutes: "5",
					uploadIntervalMinutes: "5",
				});
				const reread = JSON.parse(await readFile(path, "utf8")) as Json;
				const lostOnSave = keptEveryField(before, reread);
				if (lostOnSave.length > 0)
					throw new Error(`the next save changed ${lostOnSave.join(", ")}`);
				if (saved.ok)
					await ConfigurationStore.open(path).catch((error: Error) => {
						throw new Error(`refused after its own save: ${error.message}`);
					});
			},
		),
		{ numRuns: runs },
	);
	t.log(
		`${runs} files: ${outcomes.opened} opened, ${outcomes.upgraded} upgraded from an older schema, ${outcomes.refused} refused in one line (${[
			...reasons,
		]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 6)
			.map(([reason, count]) => `${count}× ${reason}`)
			.join("; ")}); no record lost, no refused file changed`,
	);
	t.pass();
});
