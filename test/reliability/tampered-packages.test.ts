import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import fc from "fast-check";
import { runDownloadCycle } from "../../source/client/download-cycle.js";
import { deriveSigningKey } from "../../source/client/signing-keys.js";
import {
	buildPackage,
	canonicalJson,
	type DataPackage,
	packageChecksum,
	packageFileName,
	packageText,
	parsePackage,
} from "../../source/domain/package-format.js";
import { rowsByKey } from "../helpers/channel-rows.js";
import {
	createPackage,
	downloadContext,
	groupFolder,
	makeClientSetup,
} from "../helpers/client-setup.js";
import { makeTempFolder } from "../helpers/database.js";

const runs = 150;

/** Ways to change a signed package: bytes of its file, or fields (with the checksum made to match, or not). */
type Tampering =
	| { kind: "flip"; at: number; to: string }
	| { kind: "truncate"; at: number }
	| { kind: "field"; field: string; value: unknown; fixChecksum: boolean }
	| { kind: "resign"; value: unknown }
	| { kind: "nest"; depth: number };

const fields = [
	"kind",
	"dataGroup",
	"channelDatabase",
	"sequence",
	"createdAt",
	"rowCounts",
	"tables",
	"sources",
	"checksum",
	"signatures",
	"format",
	"formatVersion",
];

function tampering(length: number): fc.Arbitrary<Tampering> {
	return fc.oneof(
		fc.record({
			kind: fc.constant("flip" as const),
			at: fc.nat({ max: length - 1 }),
			to: fc.constantFrom(
				"0",
				"1",
				"9",
				"a",
				"f",
				'"',
				"}",
				"]",
				" ",
				"\n",
				"x",
				"é",
				"\u0000",
			),
		}),
		fc.record({
			kind: fc.constant("truncate" as const),
			at: fc.nat({ max: length - 1 }),
		}),
		fc.record({
			kind: fc.constant("field" as const),
			field: fc.constantFrom(...fields),
			value: fc.oneof(
				fc.jsonValue({ maxDepth: 3 }),
				fc.constantFrom(0, 2, -1, "GROUP-B", "upload", "download", {
					PRICES: [{ key: "A", price: 0 }],
				}),
			),
			fixChecksum: fc.boolean(),
		}),
		// Rows changed and signed again, with a key made from other credentials.
		fc.record({
			kind: fc.constant("resign" as const),
			value: fc.jsonValue({ maxDepth: 2 }),
		}),
		fc.record({
			kind: fc.constant("nest" as const),
			depth: fc.constantFrom(100, 10_000, 200_000),
		}),
	);
}

async function tamper(
	original: DataPackage,
	text: string,
	how: Tampering,
	otherKey: Uint8Array,
): Promise<string> {
	switch (how.kind) {
		case "flip":
			return text.slice(0, how.at) + how.to + text.slice(how.at + 1);
		case "truncate":
			return text.slice(0, how.at);
		case "field": {
			const changed = { ...original, [how.field]: how.value } as DataPackage;
			if (how.fixChecksum && how.field !== "checksum") {
				try {
					changed.checksum = packageChecksum(changed);
				} catch {
					// A body the checksum cannot cover: left as it is.
				}
			}
			return JSON.stringify(changed);
		}
		case "resign": {
			const {
				checksum,
				signatures,
				format,
				formatVersion,
				rowCounts,
				...body
			} = original;
			return packageText(
				buildPackage(
					{ ...body, tables: { PRICES: [{ key: "A", forged: how.value }] } },
					new Map([["STORE1", otherKey]]),
				),
			);
		}
		case "nest":
			return text.replace(
				'"price": 1',
				`"price": ${"[".repeat(how.depth)}${"]".repeat(how.depth)}`,
			);
		default: {
			const unknown: never = how;
			throw new Error(`unknown tampering ${JSON.stringify(unknown)}`);
		}
	}
}

test(`${runs} tampered packages: none is applied unless its content is exactly what headquarters signed; every other one is set aside with the reason, and the client never throws`, async (t) => {
	const setup = await makeClientSetup();
	const original = await createPackage(setup, {
		PRICES: [
			{ key: "A", price: 1 },
			{ key: "B", price: 2 },
		],
	});
	const text = packageText(original);
	const file = join(groupFolder(setup), packageFileName(1));
	const otherKey = await deriveSigningKey("user-STORE1", "not the password");
	const scratch = await makeTempFolder();
	const outcomes = { applied: 0, refused: 0 };
	const reasons = new Map<string, number>();

	await fc.assert(
		fc.asyncProperty(tampering(text.length), async (how) => {
			await rm(groupFolder(setup), { recursive: true, force: true });
			await mkdir(groupFolder(setup), { recursive: true });
			const tampered = await tamper(original, text, how, otherKey);
			await writeFile(file, tampered);
			// A fresh channel data store each time: nothing applied yet.
			const context = await downloadContext(
				setup,
				"STORE1",
				await mkdtemp(join(scratch, "store-")),
			);
			const result = await runDownloadCycle(context);
			const applied = rowsByKey(await context.store.readTable("PRICES"));
			const parsed = parsePackage(tampered);
			const unchanged =
				parsed.ok && canonicalJson(parsed.package) === canonicalJson(original);
			if (result.packages === 1) {
				outcomes.applied += 1;
				// Only a change that left the content as signed (white space) may be applied.
				return unchanged && applied.A?.price === 1 && applied.B?.price === 2;
			}
			outcomes.refused += 1;
			const session = context.sessions.latest("download:GROUP-A:1:0");
			const reason =
				(session?.error ?? "").replace(/^[^:]+: /, "").split(/[:(;]/)[0] ?? "";
			reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
			const quarantine = await readdir(
				join(groupFolder(setup), "quarantine"),
			).catch(() => []);
			return (
				Object.keys(applied).length === 0 &&
				session?.status === "Download failed" &&
				quarantine.some((name) => name.endsWith(".reason.txt"))
			);
		}),
		{ numRuns: runs },
	);
	t.log(
		`${runs} tampered packages: ${outcomes.refused} refused and set aside, ${outcomes.applied} applied (each a white-space change that left the signed content as it was)`,
	);
	t.log(
		[...reasons]
			.sort((a, b) => b[1] - a[1])
			.map(([reason, count]) => `${count}× ${reason.trim()}`)
			.join("; "),
	);
	t.pass();
});
