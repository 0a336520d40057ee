import test from "ava";
import fc from "fast-check";
import { channelDatabaseKind } from "../../source/domain/channel-database.js";
import type { Configuration } from "../../source/domain/configuration.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import { profileKind } from "../../source/domain/profile.js";
import type {
	AnyRecordKind,
	Draft,
	FormDescription,
} from "../../source/domain/record-kind.js";
import { schedulerParametersForm } from "../../source/domain/scheduler-parameters.js";
import { workingFoldersKind } from "../../source/domain/working-folders.js";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { makeTempDatabasePath, seedChannelIntegration } from "./database.js";
import { hostileTexts, terminalControls } from "./terminal-text.js";

/**
 * What operators, scripts and attackers type into fields: the generated
 * corpus of the bad-input tests. Each arbitrary is one family; `anyInput`
 * mixes them all, often around a value that is almost right.
 */
const blank = fc.constantFrom(
	"",
	" ",
	"   ",
	"\t",
	"\n",
	"\r\n",
	"\u00A0",
	"\u3000",
);

const numberish = fc.oneof(
	fc.constantFrom(
		"0",
		"-0",
		"-1",
		"1.5",
		"1,5",
		"0.0",
		"1e3",
		"1E2",
		"1e-2",
		"0x10",
		"0b11",
		"0o17",
		"007",
		"0001440",
		"+5",
		"1_000",
		"Infinity",
		"-Infinity",
		"NaN",
		"99999999999999999999999",
		"9007199254740993",
		"١٢", // Arabic-Indic digits
		"１２", // fullwidth digits
		"5\u0000",
	),
	fc.integer().map(String),
	fc.double({ noNaN: false }).map(String),
	fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
	fc.nat({ max: 100 }).map((n) => `${"0".repeat(n % 7)}${n}`),
);

const unicode = fc.constantFrom(
	"漢字の名前", // wide
	"ｗｉｄｅ",
	"e\u0301\u0301\u0301\u0301", // combining marks piling up
	"Z\u0336\u0336a\u0337l\u0338g\u0335o",
	"שלום", // right to left
	"مرحبا",
	"👩‍👩‍👧‍👦", // one grapheme, seven code points
	"🏳️‍🌈",
	"\uD800", // a lone surrogate
	"\u200B\u200D\uFEFF", // invisible
	"\u2028\u2029",
	"İstanbul", // case folding differs by locale
	"ß",
);

const controls = fc.oneof(
	fc.constantFrom(...Object.values(hostileTexts)),
	fc.string({
		unit: fc.constantFrom(
			"\u0000",
			"\u0001",
			"\u0007",
			"\u0008",
			"\u001B",
			"\u007F",
			"\u0085",
			"\u009B",
			"\u009D",
			"\u061C",
			"\u200E",
			"\u202E",
			"\u2066",
		),
		minLength: 1,
		maxLength: 4,
	}),
);

const veryLong = fc.oneof(
	fc.nat({ max: 6000 }).map((n) => "A".repeat(61 + n)),
	fc.string({ unit: "grapheme", minLength: 61, maxLength: 300 }),
	fc.nat({ max: 5000 }).map((n) => `/${"x/".repeat(n + 1)}`),
);

const pathish = fc.constantFrom(
	"relative/path",
	"./here",
	"../up",
	"/srv/../etc",
	"/srv/./cdx",
	"//srv//cdx//",
	"/srv/cdx/..",
	"/",
	"~/cdx",
	"C:\\cdx\\download",
	"\\\\server\\share",
	"/srv/cdx\u0000/x",
	"file:///srv/cdx",
);

const cronish = fc.constantFrom(
	"* * * *",
	"* * * * * * *",
	"61 * * * *",
	"*/0 * * * *",
	"0 25 * * *",
	"0 0 31 2 *",
	"0 0 * 13 *",
	"@every",
	"@reboot",
	"L * * * *",
	"5-1 * * * *",
	"0 0 * * MON-FUNDAY",
);

/*
 * fast-check's "binary" unit, any code point but the surrogates, made as
 * fast-check makes it (a number counting the code points below 0xD800, then
 * those above 0xDFFF) but turned back with codePointAt: fast-check's own way
 * back is a map of all 1,112,064 code points, which it builds in every
 * process that makes such a string, to look for its dangerous strings
 * ("__proto__", "constructor"…) in it: 1.4 s of CPU.
 */
const surrogates = { first: 0xd800, count: 0x800 };
const anyCodePoint = fc.nat({ max: 0x10ffff - surrogates.count }).map(
	(index) =>
		String.fromCodePoint(
			index < surrogates.first ? index : index + surrogates.count,
		),
	(value) => {
		const codePoint =
			typeof value === "string" ? value.codePointAt(0) : undefined;
		if (
			codePoint === undefined ||
			String.fromCodePoint(codePoint) !== value ||
			(codePoint >= surrogates.first &&
				codePoint < surrogates.first + surrogates.count)
		)
			throw new Error("not one code point outside the surrogates");
		return codePoint < surrogates.first
			? codePoint
			: codePoint - surrogates.count;
	},
);

const family = fc.oneof(
	blank,
	numberish,
	unicode,
	controls,
	veryLong,
	pathish,
	cronish,
	fc.string({ unit: "grapheme", maxLength: 30 }),
	fc.string({ unit: anyCodePoint, maxLength: 30 }),
);

/** Any input: one family's value, or a few glued to a plausible value. */
export const anyInput: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: family },
	{
		weight: 2,
		arbitrary: fc
			.tuple(
				fc.oneof(fc.constant(""), family),
				fc.constantFrom("15", "STORE-1", "/srv/cdx/download", "UTC", "x"),
				fc.oneof(fc.constant(""), family),
			)
			.map((parts) => parts.join("")),
	},
);

/** How often each property runs; a failure prints the smallest input that breaks it. */
export const propertyRuns = 400;

/** Counts generated inputs for the figure a test file prints when it is done. */
/**
 * Counts the generated inputs a test file tries, and prints the total when
 * the file is done (one line for the README's figures: ava prints t.log
 * only per test). Returns the function that counts one.
 */
export function countInputs(file: string): <T>(value: T) => T {
	let tried = 0;
	test.after(() => {
		console.log(`${file}: ${tried} generated inputs tried`);
	});
	return (value) => {
		tried += 1;
		return value;
	};
}

/** A refusal's text is one short, inert line whatever was typed. */
export function readable(message: string): boolean {
	return (
		message.length > 0 &&
		message.length < 400 &&
		!message.includes("\n") &&
		terminalControls(message).length === 0
	);
}

export const nameRule = /^[A-Za-z0-9_-]+$/;
export const unsafe =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
	/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** A configuration with one of each record to link to: WF1, DG1, P1, STORE-1. */
export async function seededStore(): Promise<{
	store: ConfigurationStore;
	path: string;
	configuration: () => Configuration;
}> {
	const path = await makeTempDatabasePath();
	const store = await ConfigurationStore.open(path);
	await seedChannelIntegration(store);
	return {
		store,
		path,
		configuration: () => store.getSnapshot().configuration,
	};
}

/** Every form, by the collection (or "parameters") it saves to. */
export const formsUnderTest: [
	string,
	FormDescription<Record<string, unknown>>,
][] = [
	["profiles", profileKind as unknown as AnyRecordKind],
	["workingFolders", workingFoldersKind as unknown as AnyRecordKind],
	["dataGroups", dataGroupKind as unknown as AnyRecordKind],
	["channelDatabases", channelDatabaseKind as unknown as AnyRecordKind],
	[
		"parameters",
		schedulerParametersForm as unknown as FormDescription<
			Record<string, unknown>
		>,
	],
];

/** A valid new record of each form, in a seededStore() configuration. */
export const goodDrafts: Record<string, Draft> = {
	profiles: {
		...profileKind.emptyDraft(),
		name: "NEW-1",
		downloadIntervalMinutes: "15",
		uploadIntervalMinutes: "30",
	},
	workingFolders: {
		name: "NEW-1",
		description: "",
		downloadPath: "/srv/new/download",
		uploadPath: "/srv/new/upload",
	},
	dataGroups: {
		...dataGroupKind.emptyDraft(),
		name: "NEW-1",
		workingFolders: "WF1",
	},
	channelDatabases: {
		...channelDatabaseKind.emptyDraft(),
		name: "NEW-1",
		dataGroup: "DG1",
		userName: "new-user",
		password: "a password",
		profile: "P1",
		channels: "S0002",
	},
	parameters: {
		tryCount: "3",
		keepDownloadSessionsDays: "30",
		keepUploadSessionsDays: "30",
		keepPackagesDays: "14",
	},
};

/** Drafts whose fields are each the good value (three times in four) or a generated one. */
export function drafts(good: Draft): fc.Arbitrary<Draft> {
	return fc.record(
		Object.fromEntries(
			Object.entries(good).map(([field, value]) => [
				field,
				fc.oneof(
					{ weight: 3, arbitrary: fc.constant(value) },
					{ weight: 1, arbitrary: anyInput },
				),
			]),
		),
	) as fc.Arbitrary<Draft>;
}
