import { readFile } from "node:fs/promises";
import test from "ava";
import { toConfiguration } from "../../source/store/schema.js";
import { makeProfile, makeTempDatabase } from "../helpers/database.js";
import {
	finished,
	type SaveReport,
	saveProfilesScript,
	saveReports,
	spawnTypeScript,
} from "../helpers/processes.js";

const savesEach = 100;
const shared = makeProfile("SHARED");

/**
 * `writers` processes each make `savesEach` saves at once on one database:
 * half add a profile of their own, half edit the one SHARED profile with the
 * version they just read. Every save must land or be refused as a conflict,
 * and the file must hold every save that landed.
 */
async function saveAtOnce(writers: number) {
	const path = await makeTempDatabase([shared]);
	const prefixes = Array.from({ length: writers }, (_, index) => `W${index}`);
	const started = Date.now();
	const runs = await Promise.all(
		prefixes.map((prefix) =>
			finished(
				spawnTypeScript(saveProfilesScript, [
					path,
					prefix,
					String(savesEach),
					shared.name,
				]),
			),
		),
	);
	const seconds = (Date.now() - started) / 1000;
	const reports = runs.flatMap((run) => saveReports(run.lines));
	// The file is read with the store's own schema check: a half-applied save would fail it.
	const configuration = toConfiguration(
		JSON.parse(await readFile(path, "utf8")),
		path,
	);
	return { runs, reports, configuration, seconds };
}

function counts(reports: SaveReport[]) {
	const edits = reports.filter((report) => report.edit);
	const adds = reports.filter((report) => !report.edit);
	return {
		addsLanded: adds.filter((report) => report.ok).length,
		editsLanded: edits.filter((report) => report.ok).length,
		conflicts: reports.filter((report) => report.reason === "conflict").length,
		other: reports.filter(
			(report) => !report.ok && report.reason !== "conflict",
		),
	};
}

for (const writers of [2, 10]) {
	test(`${writers} processes × ${savesEach} saves on one database: each lands or is a conflict, and every landed save is in the file`, async (t) => {
		const { runs, reports, configuration, seconds } = await saveAtOnce(writers);
		for (const run of runs) t.is(run.stderr, "", "no writer crashed");
		t.is(reports.length, writers * savesEach, "every save reported");
		const { addsLanded, editsLanded, conflicts, other } = counts(reports);
		t.deepEqual(other, [], "nothing refused but as a conflict");
		t.is(
			addsLanded + editsLanded + conflicts,
			writers * savesEach,
			"landed + refused = saves",
		);

		// Each new profile reported as landed is in the file, once; nothing else is.
		const names = configuration.profiles.map((profile) => profile.name);
		t.is(new Set(names).size, names.length, "no profile twice");
		t.is(
			new Set(configuration.profiles.map((profile) => profile.id)).size,
			names.length,
			"no id twice",
		);
		const landedAdds = reports
			.filter((report) => !report.edit && report.ok)
			.map((report) => report.name);
		t.deepEqual(
			[...names].sort(),
			[...landedAdds, shared.name].sort(),
			"the file holds exactly the landed new profiles",
		);

		// Each landed edit moved SHARED on by one version, and no two landed on the same one.
		const versions = reports
			.filter((report) => report.edit && report.ok)
			.map((report) => report.version ?? 0)
			.sort((a, b) => a - b);
		t.deepEqual(
			versions,
			Array.from(
				{ length: editsLanded },
				(_, index) => shared.version + 1 + index,
			),
			"landed edits got versions 2, 3, … with no gap and no repeat",
		);
		const final = configuration.profiles.find(
			(profile) => profile.name === shared.name,
		);
		const last = reports.find(
			(report) => report.edit && report.version === final?.version,
		);
		t.is(final?.version, shared.version + editsLanded);
		t.is(
			final?.description,
			last?.name,
			"the last landed edit is what the file holds",
		);
		// Ten editors of one record always race; two may happen to take turns.
		if (writers >= 10) t.true(conflicts > 0, "the editors really raced");

		t.log(
			`${writers} writers × ${savesEach} saves in ${seconds.toFixed(1)} s: ${addsLanded} new profiles and ${editsLanded} edits landed, ${conflicts} edits refused as conflicts, 0 lost`,
		);
	});
}
