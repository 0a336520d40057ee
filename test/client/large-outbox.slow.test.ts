import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { runUploadCycle } from "../../source/client/upload-cycle.js";
import {
	type DataPackage,
	parsePackage,
} from "../../source/domain/package-format.js";
import {
	type ClientSetup,
	makeClientSetup,
	uploadFolder,
	writeOutbox,
} from "../helpers/client-setup.js";
import { uploadContext } from "../helpers/upload-context.js";

async function parsedPackages(setup: ClientSetup): Promise<DataPackage[]> {
	const folder = uploadFolder(setup, "STORE1");
	const names = (await readdir(folder)).filter((name) =>
		name.endsWith(".package.json"),
	);
	return Promise.all(
		names.sort().map(async (name) => {
			const parsed = parsePackage(await readFile(join(folder, name), "utf8"));
			if (!parsed.ok) throw new Error(parsed.problem);
			return parsed.package;
		}),
	);
}

const uploadedKeys = (packages: DataPackage[]) =>
	packages.flatMap((pkg) =>
		Object.values(pkg.tables).flatMap((rows) => rows.map((row) => row.key)),
	);

test("an outbox file of 300,000 rows in one table uploads, in packages of at most the row limit", async (t) => {
	t.timeout(120_000);
	const setup = await makeClientSetup();
	const rows = Array.from({ length: 300_000 }, (_, index) => ({
		key: `T${index}`,
		amount: index % 1000,
	}));
	await writeOutbox(setup, "STORE1", "0001.json", { SALES: rows });
	const result = await runUploadCycle(
		await uploadContext(setup, { maxRowsPerPackage: 100_000 }),
	);
	t.like(result, { status: "Succeeded", packages: 3, rows: 300_000 });
	const packages = await parsedPackages(setup);
	t.deepEqual(
		packages.map((pkg) => pkg.rowCounts.SALES),
		[100_000, 100_000, 100_000],
	);
	const keys = new Set(uploadedKeys(packages));
	t.is(keys.size, 300_000);
	t.like(await runUploadCycle(await uploadContext(setup)), {
		status: "No data",
	});
});
