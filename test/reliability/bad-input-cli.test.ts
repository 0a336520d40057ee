import { readFileSync } from "node:fs";
import test, { type ExecutionContext } from "ava";
import fc from "fast-check";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import type { Configuration } from "../../source/domain/configuration.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import { profileKind } from "../../source/domain/profile.js";
import {
	type AnyRecordKind,
	type Draft,
	type FormDescription,
	recordsOf,
} from "../../source/domain/record-kind.js";
import {
	parametersToDraft,
	schedulerParametersForm,
} from "../../source/domain/scheduler-parameters.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import { anyInput, seededStore } from "../helpers/bad-input.js";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import { readBytes } from "../helpers/database.js";
import { terminalControls } from "../helpers/terminal-text.js";

test.before(() => {
	buildCdxIfMissing();
});

// Through the CLI: a bad flag value exits 2 naming the field, and db.json is untouched.

type FlagCase = {
	args: string[];
	flag: string;
	/** The draft field the flag fills, and the form that checks it. */
	field: string;
	form: FormDescription<Record<string, unknown>>;
	draft: (configuration: Configuration) => Draft;
};

/** The cases of `cdx ARGS --FLAG=…` on the first record of `collection`: one per [flag, draft field]. */
function recordFlagCases(
	args: string[],
	collection: "profiles" | "workingFolders" | "dataGroups" | "channelDatabases",
	kind: AnyRecordKind,
	flags: [flag: string, field: string][],
): FlagCase[] {
	return flags.map(([flag, field]) => ({
		args,
		flag,
		field,
		form: kind,
		draft: (configuration: Configuration) => {
			const record = recordsOf(configuration, collection)[0];
			if (!record) throw new Error(`no ${collection} seeded`);
			return kind.toDraft(record, configuration);
		},
	}));
}

const flagCases: FlagCase[] = [
	...recordFlagCases(
		["profile", "set", "P1"],
		"profiles",
		profileKind as unknown as AnyRecordKind,
		[
			["download", "downloadIntervalMinutes"],
			["upload", "uploadIntervalMinutes"],
			["description", "description"],
			["download-cron", "downloadCron"],
			["time-zone", "timeZone"],
		],
	),
	...recordFlagCases(
		["working-folders", "set", "WF1"],
		"workingFolders",
		workingFoldersKind as unknown as AnyRecordKind,
		[
			["download-path", "downloadPath"],
			["upload-path", "uploadPath"],
		],
	),
	...recordFlagCases(
		["data-group", "set", "DG1"],
		"dataGroups",
		dataGroupKind as unknown as AnyRecordKind,
		[["schema", "schema"]],
	),
	...recordFlagCases(
		["channel-db", "set", "STORE-1"],
		"channelDatabases",
		channelDatabaseKind as unknown as AnyRecordKind,
		[
			["user", "userName"],
			["channel", "channels"],
			["server", "serverName"],
		],
	),
	...[
		["try-count", "tryCount"],
		["keep-packages-days", "keepPackagesDays"],
	].map(([flag = "", field = ""]) => ({
		args: ["parameters", "set"],
		flag,
		field,
		form: schedulerParametersForm as unknown as FormDescription<
			Record<string, unknown>
		>,
		draft: (configuration: Configuration) =>
			parametersToDraft(configuration.parameters),
	})),
];

function assertRefusedByCli(
	t: ExecutionContext,
	path: string,
	before: Buffer,
	flagCase: FlagCase,
	value: string,
	label: string,
): boolean {
	const run = runCdx([
		...flagCase.args,
		`--${flagCase.flag}=${value}`,
		"--db",
		path,
	]);
	const ok =
		run.status === 2 &&
		run.stdout === "" &&
		/^cdx: [^\n]*\n$/.test(run.stderr) &&
		run.stderr.startsWith(`cdx: ${label}: `) &&
		terminalControls(run.stderr).length === 0 &&
		readFileSync(path).equals(before);
	if (!ok)
		t.log(
			`--${flagCase.flag}=${JSON.stringify(value)}: exit ${run.status}, stderr ${JSON.stringify(run.stderr)}`,
		);
	return ok;
}

test("generated bad flag values through the CLI exit 2 with one line naming the field, and leave db.json byte-identical", async (t) => {
	const { path, configuration } = await seededStore();
	const before = await readBytes(path);
	let tried = 0;
	fc.assert(
		fc.property(
			fc.constantFrom(...flagCases),
			// An argument cannot carry a NUL byte: the kernel would cut it there.
			anyInput.filter((value) => !value.includes("\u0000")),
			(flagCase, value) => {
				const draft = {
					...flagCase.draft(configuration()),
					[flagCase.field]: value,
				};
				const checked = flagCase.form.validate(
					draft,
					configuration(),
					"existing",
				);
				const problem = checked.ok
					? undefined
					: checked.problems.find(
							(candidate) => candidate.field === flagCase.field,
						);
				// Only values the form refuses: the CLI must refuse the same ones.
				fc.pre(problem !== undefined);
				tried += 1;
				return assertRefusedByCli(
					t,
					path,
					before,
					flagCase,
					value,
					problem?.label ?? "",
				);
			},
		),
		{ numRuns: 60 },
	);
	t.true((await readBytes(path)).equals(before), "db.json byte-identical");
	t.log(`${tried} bad flag values through cdx, each refused with exit 2`);
});
