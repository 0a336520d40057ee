import test from "ava";
import type { ClientState } from "../../source/domain/client-state.js";
import { ClientStatusTable } from "../../source/domain/client-status-table.js";
import type {
	ChannelDatabase,
	Configuration,
} from "../../source/domain/configuration.js";
import {
	clientStatusRows,
	type ObservedClient,
} from "../../source/domain/live-status.js";
import { makeConfiguration, makeProfile } from "../helpers/database.js";
import { deepEqualOften } from "../helpers/deep-equal.js";

const start = new Date("2026-11-26T08:00:00.000Z");

/** `count` databases over three profiles: 7 minutes, 12 minutes with spread load, and cron. */
function makeStore(count: number): Configuration {
	const profiles = [
		makeProfile("SEVEN", {
			id: "seven",
			downloadIntervalMinutes: 7,
			uploadIntervalMinutes: 14,
		}),
		makeProfile("TWELVE", {
			id: "twelve",
			downloadIntervalMinutes: 12,
			uploadIntervalMinutes: 12,
		}),
		makeProfile("CRON", {
			id: "cron",
			downloadCron: "*/10 6-20 * * *",
			timeZone: "Europe/Berlin",
		}),
	];
	const channelDatabases = Array.from(
		{ length: count },
		(_, index): ChannelDatabase => ({
			id: `db-${index}`,
			name: `STORE-${index}`,
			dataGroupId: "g",
			userName: `user-${index}`,
			passwordSecret: "aes-256-gcm:x",
			profileId: ["seven", "twelve", "cron"][index % 3] as string,
			channels: [],
			serverName: "",
			databaseName: "",
			spreadLoad: index % 3 === 1,
			version: 1,
			modifiedAt: "2026-11-26T07:00:00.000Z",
			modifiedBy: "tester@store",
		}),
	);
	return { ...makeConfiguration(profiles), channelDatabases };
}

function runningClient(name: string, at: Date): ObservedClient {
	const state: ClientState = {
		formatVersion: 1,
		pid: 4242,
		host: "store-server",
		startedAt: start.toISOString(),
		heartbeatAt: at.toISOString(),
		stoppedAt: null,
		channelDatabase: name,
		profile: "SEVEN",
		dataGroup: "G",
		nextDownloadAt: new Date(at.getTime() + 90_000).toISOString(),
		nextUploadAt: null,
		currentRun: null,
		lastDownload: null,
		lastUpload: null,
		configProblem: null,
		scheduleChangedAt: start.toISOString(),
	};
	return { state, problem: null, processGone: false };
}

test("as time passes, the live panel's table gives the rows clientStatusRows gives, in the same order", (t) => {
	const configuration = makeStore(300);
	const table = new ClientStatusTable();
	let observed = new Map<string, ObservedClient>();
	for (let second = 0; second <= 3 * 3600; second += 37) {
		const now = new Date(start.getTime() + second * 1000);
		// A client starts, heartbeats for a while, then stops; one not in the configuration.
		if (second > 1200 && second < 5000)
			observed = new Map([
				["STORE-4", runningClient("STORE-4", now)],
				["GONE", runningClient("GONE", now)],
			]);
		else if (second >= 5000 && observed.size > 0) observed = new Map();
		deepEqualOften(
			t,
			table.rows(configuration, observed, now),
			clientStatusRows(configuration, observed, now),
			`at ${now.toISOString()}`,
		);
	}
});

test("the table follows a changed configuration at once", (t) => {
	const table = new ClientStatusTable();
	const before = makeStore(30);
	const observed = new Map<string, ObservedClient>();
	table.rows(before, observed, start);
	const after: Configuration = {
		...before,
		profiles: before.profiles.map((profile) =>
			profile.id === "seven"
				? { ...profile, downloadIntervalMinutes: 1 }
				: profile,
		),
	};
	const now = new Date(start.getTime() + 1000);
	t.deepEqual(
		table.rows(after, observed, now),
		clientStatusRows(after, observed, now),
	);
});
