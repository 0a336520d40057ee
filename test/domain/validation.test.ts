import test from "ava";
import type { Configuration } from "../../source/domain/configuration.js";
import { profileKind } from "../../source/domain/profile.js";
import type { Draft } from "../../source/domain/record-kind.js";
import {
	characterCount,
	displayText,
	inertJson,
	quoted,
} from "../../source/domain/text.js";
import { describeProblem } from "../../source/domain/validation.js";
import {
	makeConfiguration,
	makeProfile,
	profileDraft,
} from "../helpers/database.js";

const esc = "\u001B";
const bel = "\u0007";
const osc52 = `${esc}]52;c;SGVsbG8=${bel}`;

/** A profile form as an operator filled it in, valid unless a test changes a field. */
function draft(fields: Partial<Draft> = {}): Draft {
	return profileDraft({
		description: "Stores: every 15 minutes down, 30 up",
		...fields,
	});
}

const noProfiles = makeConfiguration();

/** Characters in `text` a terminal would act on (line breaks aside), as code points. */
function rawTerminalControls(text: string): number[] {
	return [...text]
		.map((character) => character.codePointAt(0) ?? 0)
		.filter(
			(code) =>
				(code < 0x20 && code !== 0x0a) ||
				(code >= 0x7f && code <= 0x9f) ||
				(code >= 0x202a && code <= 0x202e),
		);
}

/** The one-line messages the form and the CLI would show; [] when the draft is valid. */
function problems(
	form: Draft,
	configuration: Configuration = noProfiles,
	selfId?: string,
): string[] {
	const result = profileKind.validate(form, configuration, selfId);
	return result.ok ? [] : result.problems.map(describeProblem);
}

function accepted(form: Draft, configuration = noProfiles, selfId?: string) {
	const result = profileKind.validate(form, configuration, selfId);
	if (!result.ok)
		throw new Error(result.problems.map(describeProblem).join("; "));
	return result.value;
}

test("accepts a complete profile and turns the intervals into numbers", (t) => {
	t.like(accepted(draft()), {
		name: "STORE-DEFAULT",
		description: "Stores: every 15 minutes down, 30 up",
		downloadIntervalMinutes: 15,
		uploadIntervalMinutes: 30,
	});
});

// Name

test("refuses an empty name as required", (t) => {
	t.deepEqual(problems(draft({ name: "" })), ["Name: required"]);
});

test("refuses a name of only spaces as required", (t) => {
	t.deepEqual(problems(draft({ name: "   " })), ["Name: required"]);
});

test("accepts a name of 20 letters, digits, - and _", (t) => {
	t.is(
		accepted(draft({ name: "Store_12-ABCDEFGHIJK" })).name,
		"Store_12-ABCDEFGHIJK",
	);
});

test("refuses a name of 21 characters", (t) => {
	t.deepEqual(problems(draft({ name: "A".repeat(21) })), [
		`Name: must be 1 to 20 characters: letters A-Z, digits, "-" and "_" (got "${"A".repeat(21)}")`,
	]);
});

test("refuses a name with a space", (t) => {
	t.deepEqual(problems(draft({ name: "STORE 12" })), [
		'Name: must be 1 to 20 characters: letters A-Z, digits, "-" and "_" (got "STORE 12")',
	]);
});

test("refuses a name with a letter outside A-Z", (t) => {
	t.deepEqual(problems(draft({ name: "MÜNCHEN" })), [
		'Name: must be 1 to 20 characters: letters A-Z, digits, "-" and "_" (got "MÜNCHEN")',
	]);
});

test("trims spaces around a name", (t) => {
	t.is(accepted(draft({ name: "  FLAGSHIP  " })).name, "FLAGSHIP");
});

test("refuses a name another profile has, ignoring case", (t) => {
	const configuration = makeConfiguration([makeProfile("FLAGSHIP")]);
	t.deepEqual(problems(draft({ name: "flagship" }), configuration), [
		'Name: another profile is already called "FLAGSHIP" (names are compared ignoring case)',
	]);
});

test("lets a profile keep its own name when it is edited", (t) => {
	const flagship = makeProfile("FLAGSHIP");
	const configuration = makeConfiguration([flagship]);
	t.is(
		accepted(draft({ name: "Flagship" }), configuration, flagship.id).name,
		"Flagship",
	);
});

test("refuses renaming a profile to the name of another one", (t) => {
	const flagship = makeProfile("FLAGSHIP");
	const configuration = makeConfiguration([flagship, makeProfile("OUTLET")]);
	t.deepEqual(problems(draft({ name: "outlet" }), configuration, flagship.id), [
		'Name: another profile is already called "OUTLET" (names are compared ignoring case)',
	]);
});

// Description

test("accepts an empty description", (t) => {
	t.is(accepted(draft({ description: "" })).description, "");
});

test("accepts a description of 60 characters", (t) => {
	t.is(
		characterCount(
			accepted(draft({ description: "d".repeat(60) })).description,
		),
		60,
	);
});

test("counts a description in characters as a user sees them, not UTF-16 units", (t) => {
	const description = "🛒".repeat(60);
	t.is(accepted(draft({ description })).description, description);
});

test("refuses a description of 61 characters", (t) => {
	t.deepEqual(problems(draft({ description: "d".repeat(61) })), [
		"Description: must be at most 60 characters (got 61)",
	]);
});

test("refuses a description with an escape sequence", (t) => {
	t.deepEqual(problems(draft({ description: `copy ${osc52}` })), [
		"Description: must not contain control characters",
	]);
});

test("refuses a description with a tab", (t) => {
	t.deepEqual(problems(draft({ description: "down\tup" })), [
		"Description: must not contain control characters",
	]);
});

test("refuses a description with a right-to-left override", (t) => {
	t.deepEqual(problems(draft({ description: "price \u202E99.1" })), [
		"Description: must not contain control characters",
	]);
});

// Intervals

test("refuses an empty download interval as required", (t) => {
	t.deepEqual(problems(draft({ downloadIntervalMinutes: "" })), [
		"Data download interval in minutes: must be a whole number from 1 to 1440 (required)",
	]);
});

for (const typed of ["abc", "0", "1441", "1.5", "-3", "1e3", "0x10", "１５"]) {
	test(`refuses a download interval of ${JSON.stringify(typed)} and quotes what was typed`, (t) => {
		t.deepEqual(problems(draft({ downloadIntervalMinutes: typed })), [
			`Data download interval in minutes: must be a whole number from 1 to 1440 (got ${JSON.stringify(typed)})`,
		]);
	});
}

test("refuses an upload interval of 0 under the upload field's label", (t) => {
	t.deepEqual(problems(draft({ uploadIntervalMinutes: "0" })), [
		'Data upload interval in minutes: must be a whole number from 1 to 1440 (got "0")',
	]);
});

test("accepts the interval limits 1 and 1440", (t) => {
	const profile = accepted(
		draft({ downloadIntervalMinutes: "1", uploadIntervalMinutes: "1440" }),
	);
	t.is(profile.downloadIntervalMinutes, 1);
	t.is(profile.uploadIntervalMinutes, 1440);
});

test("accepts an interval with spaces around it", (t) => {
	t.is(
		accepted(draft({ downloadIntervalMinutes: " 15 " }))
			.downloadIntervalMinutes,
		15,
	);
});

test("reads an interval with leading zeros as the plain number", (t) => {
	t.is(
		accepted(draft({ downloadIntervalMinutes: "0015" }))
			.downloadIntervalMinutes,
		15,
	);
});

test("reports every refused field at once, in form order", (t) => {
	t.deepEqual(
		problems({
			name: "",
			description: "d".repeat(61),
			downloadIntervalMinutes: "abc",
			uploadIntervalMinutes: "",
		}),
		[
			"Name: required",
			"Description: must be at most 60 characters (got 61)",
			'Data download interval in minutes: must be a whole number from 1 to 1440 (got "abc")',
			"Data upload interval in minutes: must be a whole number from 1 to 1440 (required)",
		],
	);
});

test("names the field a problem belongs to by its key as well as its label", (t) => {
	const result = profileKind.validate(
		draft({ uploadIntervalMinutes: "0" }),
		noProfiles,
		undefined,
	);
	t.false(result.ok);
	if (!result.ok)
		t.like(result.problems[0], {
			field: "uploadIntervalMinutes",
			label: "Data upload interval in minutes",
		});
});

test("treats a field missing from the draft as empty", (t) => {
	t.deepEqual(
		problems({
			name: "A1",
			downloadIntervalMinutes: "5",
			uploadIntervalMinutes: "5",
		}),
		[],
	);
});

// Text that reaches a terminal

test("displayText shows an escape sequence as visible characters, without ESC", (t) => {
	t.is(displayText(`${esc}[2J${esc}[31mred`), "␛[2J␛[31mred");
});

test("displayText makes an OSC 52 clipboard sequence inert", (t) => {
	t.is(displayText(osc52), "␛]52;c;SGVsbG8=␇");
});

test("displayText replaces the 8-bit CSI (C1) with a stand-in", (t) => {
	t.is(displayText("\u009B31mred"), "\uFFFD31mred");
});

test("displayText replaces a right-to-left override", (t) => {
	t.is(displayText("abc\u202Egpj.exe"), "abc\uFFFDgpj.exe");
});

test("displayText keeps a line on one line", (t) => {
	t.is(displayText("one\r\ntwo"), "one␍␊two");
});

test("displayText shows DEL as a visible character", (t) => {
	t.is(displayText("a\u007Fb"), "a␡b");
});

test("displayText leaves ordinary text, accents and emoji alone", (t) => {
	t.is(displayText("Café Zürich 🛒 -_ 15/30"), "Café Zürich 🛒 -_ 15/30");
});

test("quoted puts a value in double quotes and makes it inert", (t) => {
	t.is(quoted(`a${bel}b`), '"a␇b"');
});

test("quoted cuts a long value to 40 characters and marks the cut", (t) => {
	t.is(quoted("x".repeat(50)), `"${"x".repeat(40)}…"`);
});

test("inertJson writes no raw control or bidirectional characters", (t) => {
	const json = inertJson({ description: `${osc52}\u009B31m\u202Eabc\u007F` });
	t.deepEqual(rawTerminalControls(json), []);
	t.true(json.includes("\\u001b]52;c;SGVsbG8=\\u0007"));
	t.true(json.includes("\\u009b31m\\u202eabc\\u007f"));
});

test("inertJson reads back as the original value", (t) => {
	const value = {
		description: `${osc52}\u009B31m\u202Eabc\u007F`,
		minutes: 15,
	};
	t.deepEqual(JSON.parse(inertJson(value)), value);
});
