import test from "ava";
import { runUploadCycle } from "../../source/client/upload-cycle.js";
import { makeClientSetup, writeOutbox } from "../helpers/client-setup.js";
import { uploadContext } from "../helpers/upload-context.js";
import {
	uploadedKeys,
	uploadedPackages,
} from "../helpers/uploaded-packages.js";

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
	const packages = await uploadedPackages(setup);
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
