import test from "ava";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import {
	assertOneLineError,
	assertUnchanged,
	escapeRegExp,
} from "../helpers/cli-assertions.js";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";

test.before(buildCdxIfMissing);

/** Every option that takes a number, with the field's label and a command that sets it. */
const numericOptions: { args: (value: string) => string[]; label: string }[] = [
	{
		args: (value) => [
			"profile",
			"add",
			"P2",
			"--download",
			value,
			"--upload",
			"30",
		],
		label: "Data download interval in minutes",
	},
	{
		args: (value) => [
			"profile",
			"add",
			"P2",
			"--download",
			"15",
			"--upload",
			value,
		],
		label: "Data upload interval in minutes",
	},
	{
		args: (value) => ["profile", "set", "P1", "--download", value],
		label: "Data download interval in minutes",
	},
	{
		args: (value) => ["profile", "set", "P1", "--upload", value],
		label: "Data upload interval in minutes",
	},
	...[
		["--try-count", "Try count"],
		["--keep-download-sessions-days", "Days to keep download session history"],
		["--keep-upload-sessions-days", "Days to keep upload session history"],
		["--keep-packages-days", "Days to keep data packages"],
	].map(([option = "", label = ""]) => ({
		args: (value: string) => ["parameters", "set", option, value],
		label,
	})),
];

for (const { args, label } of numericOptions) {
	const command = args("-1").join(" ");
	test(`cdx ${command} gets the field's rule, not "ambiguous"`, async (t) => {
		const db = await makeTempDatabase([makeProfile("P1")]);
		const run = await assertUnchanged(t, db, () =>
			runCdx([...args("-1"), "--db", db]),
		);
		assertOneLineError(
			t,
			run,
			2,
			new RegExp(`${escapeRegExp(label)}[^:]*: must be .*\\(got "-1"\\)`),
		);
		t.false(run.stderr.includes("ambiguous"));
	});
}

test("a negative number after --description is text, as typed", async (t) => {
	const db = await makeTempDatabase([makeProfile("P1")]);
	const run = runCdx([
		"profile",
		"set",
		"P1",
		"--description",
		"-5 %",
		"--db",
		db,
	]);
	t.is(run.status, 0, run.stderr);
	const show = runCdx(["profile", "show", "P1", "--db", db]);
	t.true(show.stdout.includes("Description: -5 %"));
});
