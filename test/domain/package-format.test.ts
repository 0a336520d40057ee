import test from "ava";
import { downloadPackageProblem } from "../../source/domain/package-check.js";
import {
	buildPackage,
	canonicalJson,
	type DataPackage,
	type PackageTables,
	packageChecksum,
	packageFileName,
	packageText,
	parsePackage,
	sequenceOfFileName,
	signatureMatches,
	tablesProblem,
} from "../../source/domain/package-format.js";

const keyOf = (text: string) =>
	new Uint8Array(Buffer.from(text.padEnd(32, "*")));
const store1Key = keyOf("store1");
const store2Key = keyOf("store2");

function makePackage(
	fields: {
		sequence?: number;
		tables?: PackageTables;
		dataGroup?: string;
	} = {},
): DataPackage {
	return buildPackage(
		{
			kind: "download",
			dataGroup: fields.dataGroup ?? "GROUP-A",
			channelDatabase: null,
			sequence: fields.sequence ?? 7,
			createdAt: "2026-11-26T08:00:00.000Z",
			tables: fields.tables ?? { PRICES: [{ key: "A", price: 1 }] },
			sources: [],
		},
		new Map([
			["STORE1", store1Key],
			["STORE2", store2Key],
		]),
	);
}

const expectFor = (
	overrides: Partial<Parameters<typeof downloadPackageProblem>[1]> = {},
) => ({
	dataGroup: "GROUP-A",
	channelDatabase: "STORE1",
	key: store1Key,
	lastApplied: 6,
	fileSequence: 7,
	...overrides,
});

test("canonical JSON sorts keys at every level, so key order never changes the checksum", (t) => {
	t.is(
		canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: "z" } }),
		'{"a":{"c":"z","d":[3,{"x":2,"y":1}]},"b":1}',
	);
	const one = makePackage({
		tables: { PRICES: [{ key: "A", price: 1, currency: "EUR" }] },
	});
	const other = makePackage({
		tables: { PRICES: [{ currency: "EUR", price: 1, key: "A" }] },
	});
	t.is(one.checksum, other.checksum);
	t.regex(one.checksum, /^sha256:[0-9a-f]{64}$/);
});

test("a package states its row counts and is signed once per channel database", (t) => {
	const pkg = makePackage({
		tables: { PRICES: [{ key: "A" }, { key: "B" }], STOCK: [{ key: 1 }] },
	});
	t.deepEqual(pkg.rowCounts, { PRICES: 2, STOCK: 1 });
	t.deepEqual(Object.keys(pkg.signatures), ["STORE1", "STORE2"]);
	t.true(
		signatureMatches(store1Key, pkg.checksum, pkg.signatures.STORE1 ?? ""),
	);
	t.false(
		signatureMatches(store2Key, pkg.checksum, pkg.signatures.STORE1 ?? ""),
	);
	t.false(signatureMatches(store1Key, pkg.checksum, "not hex"));
});

test("a package file reads back as the package it was written from", (t) => {
	const pkg = makePackage();
	const parsed = parsePackage(packageText(pkg));
	t.true(parsed.ok);
	if (parsed.ok) t.deepEqual(parsed.package, pkg);
});

test("parsing refuses files that are not packages of this format, saying why", (t) => {
	const problem = (text: string) => {
		const parsed = parsePackage(text);
		return parsed.ok ? "" : parsed.problem;
	};
	t.regex(problem("{not json"), /not valid JSON/);
	t.regex(problem("[]"), /not a data package/);
	t.regex(problem('{"format":"other"}'), /not a data package/);
	t.regex(
		problem(JSON.stringify({ ...makePackage(), formatVersion: 2 })),
		/format version 2 is not supported/,
	);
	t.regex(
		problem(JSON.stringify({ ...makePackage(), sequence: 0 })),
		/"sequence"/,
	);
	t.regex(
		problem(JSON.stringify({ ...makePackage(), signatures: { STORE1: 5 } })),
		/"signatures"/,
	);
});

test("package file names sort in sequence order and temporary names are not packages", (t) => {
	t.is(packageFileName(42), "0000000042.package.json");
	t.is(sequenceOfFileName("0000000042.package.json"), 42);
	t.is(sequenceOfFileName(".0000000042.package.json.123.ab.tmp"), null);
	t.is(sequenceOfFileName("sequence.json"), null);
	t.is(sequenceOfFileName("42.package.json"), null);
});

test("table names must be safe file names and every row needs a key", (t) => {
	t.is(tablesProblem({ PRICES: [{ key: "A" }, { key: 5 }] }), null);
	t.regex(
		tablesProblem({ "../etc": [] }) ?? "",
		/table name "..\/etc" is not allowed/,
	);
	t.regex(
		tablesProblem({ PRICES: [{ price: 1 }] }) ?? "",
		/table PRICES, row 1: needs a "key"/,
	);
	t.regex(tablesProblem({ PRICES: [{ key: "" }] }) ?? "", /needs a "key"/);
	t.regex(tablesProblem({ PRICES: {} }) ?? "", /rows must be a list/);
	t.regex(tablesProblem([]) ?? "", /must be an object/);
});

test("a good package for this database and group may be applied", (t) => {
	t.is(downloadPackageProblem(makePackage(), expectFor()), null);
});

test("a changed row gives a bad checksum, a problem with the package itself", (t) => {
	const pkg = makePackage();
	const tampered = { ...pkg, tables: { PRICES: [{ key: "A", price: 0.01 }] } };
	t.like(downloadPackageProblem(tampered, expectFor()), {
		scope: "package",
		reason:
			"bad checksum: the content does not match the checksum it carries (changed after it was created)",
	});
});

test("a re-computed checksum without the key gives a bad signature, a problem for this database only", (t) => {
	const pkg = makePackage();
	const forged = { ...pkg, tables: { PRICES: [{ key: "A", price: 0.01 }] } };
	const reChecksummed = { ...forged, checksum: packageChecksum(forged) };
	t.like(downloadPackageProblem(reChecksummed, expectFor()), {
		scope: "database",
	});
	t.regex(
		downloadPackageProblem(reChecksummed, expectFor())?.reason ?? "",
		/^bad signature/,
	);
});

test("a package not signed for this database has a missing signature", (t) => {
	t.regex(
		downloadPackageProblem(
			makePackage(),
			expectFor({ channelDatabase: "STORE9" }),
		)?.reason ?? "",
		/^missing signature/,
	);
});

test("a package of another data group is refused as misaddressed", (t) => {
	t.like(
		downloadPackageProblem(makePackage({ dataGroup: "GROUP-B" }), expectFor()),
		{
			scope: "package",
			reason:
				'wrong data group: addressed to channel data group "GROUP-B", not "GROUP-A"',
		},
	);
});

test("an old package under a new name is refused as replayed", (t) => {
	const old = makePackage({ sequence: 3 });
	t.like(downloadPackageProblem(old, expectFor({ fileSequence: 9 })), {
		scope: "package",
		reason: "replayed: sequence 3 is not after the last applied sequence 6",
	});
	t.regex(
		downloadPackageProblem(
			makePackage({ sequence: 8 }),
			expectFor({ fileSequence: 9 }),
		)?.reason ?? "",
		/file name says sequence 9/,
	);
});
