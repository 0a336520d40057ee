import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import type { ListedPackage } from "../../source/client/package-listing.js";
import { dataGroupKind } from "../../source/domain/data-group.js";
import { parsePackage } from "../../source/domain/package-format.js";
import { cdxBin, runCdx } from "../helpers/cdx.js";
import {
	startsClientProcesses,
	stopClient,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import {
	type ClientSetup,
	groupFolder,
	makeClientSetup,
} from "../helpers/client-setup.js";

startsClientProcesses(test);

async function inputFile(
	setup: ClientSetup,
	content: unknown,
): Promise<string> {
	const file = join(
		setup.root,
		`input-${Math.random().toString(36).slice(2)}.json`,
	);
	await writeFile(file, JSON.stringify(content));
	return file;
}

function create(setup: ClientSetup, group: string, from: string) {
	return runCdx([
		"package",
		"create",
		"--data-group",
		group,
		"--from",
		from,
		"--db",
		setup.db,
	]);
}

function list(setup: ClientSetup): ListedPackage[] {
	const run = runCdx(["package", "list", "--json", "--db", setup.db]);
	if (run.status !== 0) throw new Error(run.stderr);
	return JSON.parse(run.stdout) as ListedPackage[];
}

test("package create writes a package signed for every database of the group, with the group's next sequence", async (t) => {
	const setup = await makeClientSetup({ databases: ["STORE1", "STORE2"] });
	const from = await inputFile(setup, {
		tables: {
			PRICES: [
				{ key: "A", price: 1 },
				{ key: "B", price: 2 },
			],
		},
	});
	const first = create(setup, "group-a", from);
	t.is(first.status, 0, first.stderr);
	t.regex(
		first.stdout,
		/^Created data package .*0000000001\.package\.json: channel data group GROUP-A, sequence 1, 1 table, 2 rows, signed for STORE1, STORE2\n$/,
	);
	t.is(create(setup, "GROUP-A", from).status, 0);
	t.deepEqual(
		(await readdir(groupFolder(setup))).filter((name) =>
			name.endsWith(".package.json"),
		),
		["0000000001.package.json", "0000000002.package.json"],
	);
	const parsed = parsePackage(
		await readFile(join(groupFolder(setup), "0000000002.package.json"), "utf8"),
	);
	t.like(parsed.ok ? parsed.package : null, {
		kind: "download",
		dataGroup: "GROUP-A",
		sequence: 2,
		rowCounts: { PRICES: 2 },
	});
});

test("packages created at the same moment get distinct sequences", async (t) => {
	const setup = await makeClientSetup();
	const from = await inputFile(setup, { tables: { PRICES: [{ key: "A" }] } });
	const codes = await Promise.all(
		Array.from(
			{ length: 4 },
			() =>
				new Promise<number | null>((resolve) =>
					spawn(
						process.execPath,
						[
							cdxBin,
							"package",
							"create",
							"--data-group",
							"GROUP-A",
							"--from",
							from,
							"--db",
							setup.db,
						],
						{
							stdio: "ignore",
						},
					).on("close", resolve),
				),
		),
	);
	t.deepEqual(codes, [0, 0, 0, 0]);
	t.deepEqual(
		list(setup).map((listed) => listed.sequence),
		[1, 2, 3, 4],
	);
});

test("package create refuses bad input and unknown or empty groups with exit 2, writing nothing", async (t) => {
	const setup = await makeClientSetup();
	await setup.store.save(dataGroupKind, {
		...dataGroupKind.emptyDraft(),
		name: "EMPTY",
		workingFolders: "HQ",
	});
	const noKey = create(
		setup,
		"GROUP-A",
		await inputFile(setup, { tables: { PRICES: [{ price: 1 }] } }),
	);
	t.is(noKey.status, 2);
	t.is(
		noKey.stderr,
		'cdx: table PRICES, row 1: needs a "key" (a non-empty string or a number)\n',
	);
	const unknown = create(setup, "NOPE", await inputFile(setup, { tables: {} }));
	t.is(unknown.status, 2);
	t.regex(unknown.stderr, /Channel data group "NOPE" does not exist/);
	const empty = create(setup, "EMPTY", await inputFile(setup, { tables: {} }));
	t.is(empty.status, 2);
	t.regex(
		empty.stderr,
		/Channel data group "EMPTY" has no channel databases to sign for/,
	);
	const notJson = create(setup, "GROUP-A", join(setup.root, "missing.json"));
	t.is(notJson.status, 2);
	t.deepEqual(list(setup), []);
});

test("package list shows each package with what each database did with it", async (t) => {
	const setup = await makeClientSetup({ databases: ["STORE1", "STORE2"] });
	t.is(
		create(
			setup,
			"GROUP-A",
			await inputFile(setup, { tables: { PRICES: [{ key: "A" }] } }),
		).status,
		0,
	);
	t.like(list(setup)[0], {
		kind: "download",
		owner: "GROUP-A",
		sequence: 1,
		rows: 1,
		state: { STORE1: "Available", STORE2: "Available" },
		quarantined: null,
	});
	const { client } = await startIdleClient(t, setup);
	t.is((await stopClient(client)).code, 0);
	t.deepEqual(list(setup)[0]?.state, {
		STORE1: "Applied",
		STORE2: "Available",
	});
	const table = runCdx(["package", "list", "--db", setup.db]);
	t.regex(
		table.stdout,
		/download\s+GROUP-A\s+1\s+\S+\s+1\s+STORE1 Applied, STORE2 Available/,
	);
});
