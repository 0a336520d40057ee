import { readFile } from "node:fs/promises";
import test from "ava";
import fc from "fast-check";
import {
	type Configuration,
	retailChannelSchemas,
} from "../../source/domain/configuration.js";
import {
	type AnyRecordKind,
	recordsOf,
} from "../../source/domain/record-kind.js";
import {
	cronExpressionProblem,
	timeZoneProblem,
} from "../../source/domain/schedule.js";
import { parametersToDraft } from "../../source/domain/scheduler-parameters.js";
import { characterCount } from "../../source/domain/text.js";
import { describeProblem } from "../../source/domain/validation.js";
import { toConfiguration } from "../../source/store/schema.js";
import {
	countInputs,
	drafts,
	formsUnderTest,
	goodDrafts,
	nameRule,
	propertyRuns,
	readable,
	seededStore,
	unsafe,
} from "../helpers/bad-input.js";

const counted = countInputs("bad-input-forms");
const runs = propertyRuns;

// Each form's validate, fed whole drafts: some fields good, some from the corpus.

function acceptable(
	collection: string,
	value: Record<string, unknown>,
	configuration: Configuration,
): boolean {
	const text = (field: string, max: number, required = false) => {
		const item = value[field];
		return (
			typeof item === "string" &&
			item === item.trim() &&
			characterCount(item) <= max &&
			!unsafe.test(item) &&
			(!required || item !== "")
		);
	};
	const name = (item: unknown, max = 20) =>
		typeof item === "string" && nameRule.test(item) && item.length <= max;
	const whole = (field: string, min: number, max: number) =>
		Number.isInteger(value[field]) &&
		(value[field] as number) >= min &&
		(value[field] as number) <= max;
	const path = (field: string) =>
		typeof value[field] === "string" &&
		(value[field] as string).startsWith("/") &&
		!(value[field] as string).split("/").includes("..") &&
		!unsafe.test(value[field] as string);
	const links = (item: unknown, records: { id: string }[]) =>
		records.some((record) => record.id === item);
	switch (collection) {
		case "profiles":
			return (
				name(value.name) &&
				text("description", 60) &&
				whole("downloadIntervalMinutes", 1, 1440) &&
				whole("uploadIntervalMinutes", 1, 1440) &&
				["downloadCron", "uploadCron"].every(
					(field) =>
						value[field] === "" ||
						cronExpressionProblem(value[field] as string) === null,
				) &&
				timeZoneProblem(value.timeZone as string) === null
			);
		case "workingFolders":
			return (
				name(value.name) &&
				text("description", 60) &&
				path("downloadPath") &&
				path("uploadPath") &&
				value.downloadPath !== value.uploadPath
			);
		case "dataGroups":
			return (
				name(value.name) &&
				text("description", 60) &&
				(retailChannelSchemas as readonly unknown[]).includes(value.schema) &&
				links(value.workingFoldersId, configuration.workingFolders)
			);
		case "channelDatabases":
			return (
				name(value.name) &&
				text("userName", 64, true) &&
				text("password", 128) &&
				links(value.dataGroupId, configuration.dataGroups) &&
				links(value.profileId, configuration.profiles) &&
				Array.isArray(value.channels) &&
				value.channels.every((channel) => name(channel)) &&
				text("serverName", 128) &&
				text("databaseName", 128) &&
				typeof value.spreadLoad === "boolean"
			);
		case "parameters":
			return (
				whole("tryCount", 0, 1000) &&
				whole("keepDownloadSessionsDays", 1, 3650) &&
				whole("keepUploadSessionsDays", 1, 3650) &&
				whole("keepPackagesDays", 1, 3650)
			);
		default:
			throw new Error(`no spec for ${collection}`);
	}
}

for (const [collection, form] of formsUnderTest) {
	test(`${form.title}: what validate accepts meets every rule; each refusal names a field by its label, with the rule`, async (t) => {
		const { configuration } = await seededStore();
		const labels = new Map(
			form.fields.map((field) => [field.key, field.label]),
		);
		let accepted = 0;
		fc.assert(
			fc.property(drafts(goodDrafts[collection] ?? {}), (draft) => {
				counted(draft);
				const result = form.validate(draft, configuration(), undefined);
				if (result.ok) {
					accepted += 1;
					return acceptable(collection, result.value, configuration());
				}
				return result.problems.every(
					(problem) =>
						labels.get(problem.field) === problem.label &&
						describeProblem(problem).startsWith(`${problem.label}: `) &&
						readable(problem.message),
				);
			}),
			{ numRuns: runs },
		);
		t.log(`${runs} drafts, ${accepted} accepted`);
		t.pass();
	});
}

// Through the store: whatever is typed, what lands in db.json is valid.

/** Every record in the file, checked by its own form against the file. */
function invalidRecords(configuration: Configuration): string[] {
	const found: string[] = [];
	for (const [collection, form] of formsUnderTest) {
		if (collection === "parameters") {
			const checked = form.validate(
				parametersToDraft(configuration.parameters),
				configuration,
				configuration.parameters.id,
			);
			if (!checked.ok) found.push(`parameters: ${JSON.stringify(checked)}`);
			continue;
		}
		const kind = form as AnyRecordKind;
		for (const record of recordsOf(configuration, kind.collection)) {
			const checked = kind.validate(
				kind.toDraft(record, configuration),
				configuration,
				record.id,
			);
			if (!checked.ok)
				found.push(`${kind.title} ${record.name}: ${JSON.stringify(checked)}`);
		}
	}
	return found;
}

test("store.save with generated drafts of every form never writes an invalid record", async (t) => {
	const { store, path } = await seededStore();
	let landed = 0;
	let refused = 0;
	let saves = 0;
	const storeRuns = 60;
	for (const [collection, form] of formsUnderTest) {
		await fc.assert(
			fc.asyncProperty(
				drafts(goodDrafts[collection] ?? {}),
				async (generated) => {
					counted(generated);
					// Good names and user names are made unique, so a draft is refused for what was generated.
					saves += 1;
					const draft = {
						...generated,
						...(generated.name === "NEW-1" ? { name: `NEW-${saves}` } : {}),
						...(generated.userName === "new-user"
							? { userName: `new-user-${saves}` }
							: {}),
					};
					const outcome =
						collection === "parameters"
							? await store.saveParameters(
									draft,
									store.getSnapshot().configuration.parameters.version,
								)
							: await store.save(form as AnyRecordKind, draft);
					if (outcome.ok) landed += 1;
					else refused += 1;
					return outcome.ok || outcome.reason === "invalid";
				},
			),
			{ numRuns: storeRuns },
		);
	}
	const configuration = toConfiguration(
		JSON.parse(await readFile(path, "utf8")),
		path,
	);
	t.deepEqual(invalidRecords(configuration), []);
	t.log(
		`${formsUnderTest.length * storeRuns} generated saves: ${landed} landed, ${refused} refused; every record in db.json passes its form`,
	);
});
