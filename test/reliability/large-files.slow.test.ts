import { currentSchemaVersion } from "../../source/domain/configuration.js";
import { makeProfile } from "../helpers/database.js";
import { refusedByEveryCommand } from "../helpers/malformed-database.js";

// malformed-files.test.ts's refusals, for files of megabytes: each takes
// seconds to build and parse, so they run in `npm run test:slow`.

const profile = makeProfile("FLAGSHIP");

refusedByEveryCommand({
	what: "a million nested lists",
	text: () => `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`,
	says: /not a cdx-scheduler database/,
});

refusedByEveryCommand({
	what: "50 MB of valid JSON of the wrong shape",
	// 215,000 good profiles, then working folders that are not a list.
	text: () => {
		const one = JSON.stringify(profile);
		const profiles = Array.from({ length: 215_000 }, () => one).join(",");
		return `{"schemaVersion":${currentSchemaVersion},"profiles":[${profiles}],"workingFolders":{"not":"a list"},"dataGroups":[],"channelDatabases":[],"parameters":{}}`;
	},
	says: /"workingFolders" must be a list/,
});
