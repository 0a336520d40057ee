import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
	type DataPackage,
	parsePackage,
} from "../../source/domain/package-format.js";
import { type ClientSetup, uploadFolder } from "./client-setup.js";

/**
 * The packages in `database`'s upload folder, parsed, in sequence order
 * (none while the folder is not there). Every file in it but the client's
 * progress.json must be a whole package: anything else fails the read,
 * naming the file, since headquarters would find it there too.
 */
export async function uploadedPackages(
	setup: ClientSetup,
	database = "STORE1",
): Promise<DataPackage[]> {
	const folder = uploadFolder(setup, database);
	const names = await readdir(folder).catch(() => [] as string[]);
	const packages: DataPackage[] = [];
	for (const name of names.sort()) {
		if (name === "progress.json") continue;
		const parsed = parsePackage(await readFile(join(folder, name), "utf8"));
		if (!parsed.ok) throw new Error(`${name}: ${parsed.problem}`);
		packages.push(parsed.package);
	}
	return packages.sort((a, b) => a.sequence - b.sequence);
}

/** The key of every row the packages carry, in package order. */
export const uploadedKeys = (packages: DataPackage[]) =>
	packages.flatMap((pkg) =>
		Object.values(pkg.tables).flatMap((rows) => rows.map((row) => row.key)),
	);
