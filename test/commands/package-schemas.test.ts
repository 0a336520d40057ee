import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { parsePackage } from "../../source/domain/package-format.js";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import {
	type ClientSetup,
	groupFolder,
	makeClientSetup,
} from "../helpers/client-setup.js";

test.before(() => {
	buildCdxIfMissing();
});

async function create(setup: ClientSetup, content: unknown) {
	const file = join(
		setup.root,
		`input-${Math.random().toString(36).slice(2)}.json`,
	);
	await writeFile(file, JSON.stringify(content));
	return runCdx([
		"package",
		"create",
		"--data-group",
		setup.group,
		"--from",
		file,
		"--db",
		setup.db,
	]);
}

const packagesIn = async (setup: ClientSetup) =>
	(await readdir(groupFolder(setup)).catch(() => [] as string[])).filter(
		(name) => name.endsWith(".package.json"),
	);

test("package create infers each table's column types from today's input and puts them in the package", async (t) => {
	const setup = await makeClientSetup();
	const run = await create(setup, {
		tables: {
			PRICES: [
				{ key: "A", price: 1, active: true, changedAt: "2026-12-01T10:00:00Z" },
				{ key: "B", price: 2.5, note: "sale" },
			],
		},
	});
	t.is(run.status, 0, run.stderr);
	const [name] = await packagesIn(setup);
	const parsed = parsePackage(
		await readFile(join(groupFolder(setup), name ?? ""), "utf8"),
	);
	t.true(parsed.ok);
	t.deepEqual(parsed.ok ? parsed.package.schemas : null, {
		PRICES: {
			key: ["key"],
			columns: {
				key: "text",
				price: "decimal",
				active: "boolean",
				changedAt: "timestamp",
				note: "text",
			},
		},
	});
});

test("package create takes stated schemas (a two-column key) and refuses rows that do not fit them, naming table, column and row", async (t) => {
	const setup = await makeClientSetup();
	const schemas = {
		STOCK: {
			key: ["store", "item"],
			columns: { store: "text", item: "integer", quantity: "decimal" },
		},
	};
	const good = await create(setup, {
		tables: { STOCK: [{ store: "S1", item: 7, quantity: 2 }] },
		schemas,
	});
	t.is(good.status, 0, good.stderr);
	const cases: [unknown, RegExp][] = [
		[
			{ tables: { STOCK: [{ store: "S1", item: "7" }] }, schemas },
			/table STOCK, column item, row 1: "7" must be a whole number/,
		],
		[
			{ tables: { STOCK: [{ store: "S1" }] }, schemas },
			/table STOCK, row 1: needs a "item"/,
		],
		[
			{ tables: { ITEMS: [{ key: 1 }, { key: "1" }] } },
			/table ITEMS, column key, row 2: "1" is text where earlier rows have integer/,
		],
		[
			{
				tables: { STOCK: [{ store: "S1", item: 1 }] },
				schemas: { STOCK: { key: ["store"], columns: { store: "money" } } },
			},
			/table STOCK, column store: type "money" is not one of text, integer, decimal, boolean, timestamp/,
		],
	];
	for (const [input, message] of cases) {
		const run = await create(setup, input);
		t.is(run.status, 2, run.stderr);
		t.regex(run.stderr, message);
	}
	t.is(
		(await packagesIn(setup)).length,
		1,
		"nothing written for refused input",
	);
});
