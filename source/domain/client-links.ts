import { channelDatabaseKind } from "./channel-database.js";
import type {
	AsyncServerProfile,
	ChannelDatabase,
	ChannelDataGroup,
	Configuration,
	SchedulerParameters,
	WorkingFolders,
} from "./configuration.js";
import { dataGroupKind, groupFolders } from "./data-group.js";
import { profileKind } from "./profile.js";
import { type Direction, scheduleFor } from "./profile-schedule.js";
import type { AnyRecordKind, StoredRecord } from "./record-kind.js";
import { type DirectionSchedule, nextRun } from "./schedule.js";
import { quoted } from "./text.js";
import { describeProblem, sameName } from "./validation.js";
import { workingFoldersKind } from "./working-folders.js";

/** Everything one channel database's Async Client needs from the configuration. */
export type ClientLinks = {
	database: ChannelDatabase;
	profile: AsyncServerProfile;
	dataGroup: ChannelDataGroup;
	workingFolders: WorkingFolders;
	parameters: SchedulerParameters;
	schedules: Record<Direction, DirectionSchedule>;
};

export type ResolvedLinks =
	| { ok: true; links: ClientLinks }
	| { ok: false; problem: string };

/** A link whose record was deleted: the owner names it still, and its form chooses another. */
function deletedLink(
	owner: string,
	missing: string,
	form: string,
): ResolvedLinks {
	return {
		ok: false,
		problem: `${owner} has no ${missing} (the one it named was deleted); choose one on the ${form} form`,
	};
}

/**
 * Follows channel database → Async Server profile, → channel data group →
 * working folders. A broken link is reported with the record to fix and the
 * form to fix it on.
 */
export function resolveClientLinks(
	configuration: Configuration,
	channelDatabaseId: string,
	now: Date,
): ResolvedLinks {
	const database = configuration.channelDatabases.find((candidate) =>
		sameName(candidate.name, channelDatabaseId),
	);
	if (!database)
		return {
			ok: false,
			problem: `Channel database ${quoted(channelDatabaseId)} does not exist; add it on the Channel database form (or check --channel-db)`,
		};
	const named = `Channel database ${quoted(database.name)}`;
	const profile = configuration.profiles.find(
		(candidate) => candidate.id === database.profileId,
	);
	if (!profile)
		return deletedLink(named, "Async Server profile", "Channel database");
	const dataGroup = configuration.dataGroups.find(
		(candidate) => candidate.id === database.dataGroupId,
	);
	if (!dataGroup)
		return deletedLink(named, "channel data group", "Channel database");
	const workingFolders = groupFolders(configuration, dataGroup);
	if (!workingFolders)
		return deletedLink(
			`Channel data group ${quoted(dataGroup.name)}`,
			"working folders",
			"Channel data group",
		);
	// db.json may have been edited by hand: the client builds file paths from
	// these names and folders, so each record must pass its own form first
	// (a name such as "../x" would otherwise lead it out of its folders).
	const linked: [AnyRecordKind, StoredRecord<Record<string, unknown>>][] = [
		[channelDatabaseKind as unknown as AnyRecordKind, database],
		[profileKind as unknown as AnyRecordKind, profile],
		[dataGroupKind as unknown as AnyRecordKind, dataGroup],
		[workingFoldersKind as unknown as AnyRecordKind, workingFolders],
	];
	for (const [kind, record] of linked) {
		const checked = kind.validate(
			kind.toDraft(record, configuration),
			configuration,
			record.id,
		);
		if (!checked.ok)
			return {
				ok: false,
				problem: `${kind.title} ${quoted(kind.nameOf(record))} cannot be used: ${checked.problems.map(describeProblem).join("; ")}; fix it on the ${kind.title} form`,
			};
	}
	const schedules = {
		download: scheduleFor(profile, database, "download"),
		upload: scheduleFor(profile, database, "upload"),
	};
	for (const direction of ["download", "upload"] as const) {
		try {
			nextRun(schedules[direction], now);
		} catch (error) {
			return {
				ok: false,
				problem: `Async Server profile ${quoted(profile.name)}: the ${direction} schedule cannot be used (${(error as Error).message}); fix it on the Async Server profile form`,
			};
		}
	}
	return {
		ok: true,
		links: {
			database,
			profile,
			dataGroup,
			workingFolders,
			parameters: configuration.parameters,
			schedules,
		},
	};
}
