import test from "ava";
import { resolveClientLinks } from "../../source/domain/client-links.js";
import { emptyConfiguration } from "../../source/domain/configuration.js";
import { makeProfile } from "../helpers/database.js";

test("a client's links name the record to fix when one is missing", (t) => {
	const now = new Date("2026-11-26T08:00:00.000Z");
	const configuration = emptyConfiguration();
	t.deepEqual(resolveClientLinks(configuration, "STORE1", now), {
		ok: false,
		problem:
			'Channel database "STORE1" does not exist; add it on the Channel database form (or check --channel-db)',
	});
	const profile = makeProfile("STORES");
	const withDatabase = {
		...configuration,
		profiles: [profile],
		channelDatabases: [
			{
				id: "db1",
				version: 1,
				modifiedAt: now.toISOString(),
				modifiedBy: "t",
				name: "STORE1",
				dataGroupId: "gone",
				userName: "u",
				passwordSecret: "x",
				profileId: profile.id,
				channels: [],
				serverName: "",
				databaseName: "",
				spreadLoad: false,
			},
		],
	};
	const missingGroup = resolveClientLinks(withDatabase, "store1", now);
	t.false(missingGroup.ok);
	t.regex(
		missingGroup.ok ? "" : missingGroup.problem,
		/Channel database "STORE1" has no channel data group .* Channel database form/,
	);
	const missingProfile = resolveClientLinks(
		{ ...withDatabase, profiles: [] },
		"STORE1",
		now,
	);
	t.regex(
		missingProfile.ok ? "" : missingProfile.problem,
		/has no Async Server profile/,
	);
});
