/** What every stored record carries so concurrent edits can be detected and explained. */
export type RecordMeta = {
	id: string;
	/** Goes up by one on every save; a save names the version it started from. */
	version: number;
	modifiedAt: string;
	/** user@host of whoever saved last, shown when a save is refused as a conflict. */
	modifiedBy: string;
};

export type AsyncServerProfileFields = {
	name: string;
	description: string;
	downloadIntervalMinutes: number;
	uploadIntervalMinutes: number;
	/** Beyond the ERP: a cron expression that replaces the download interval when set. */
	downloadCron: string;
	uploadCron: string;
	/** IANA time zone the cron expressions are read in. */
	timeZone: string;
};

export type AsyncServerProfile = RecordMeta & AsyncServerProfileFields;

export type WorkingFoldersFields = {
	name: string;
	description: string;
	/** Where headquarters puts data packages for the channels to download. */
	downloadPath: string;
	/** Where the channels put the packages they upload. */
	uploadPath: string;
};

export type WorkingFolders = RecordMeta & WorkingFoldersFields;

/** The Retail channel schemas of AX 2012 R3 (by AX version and channel type). */
export const retailChannelSchemas = [
	"AX 2012 R3",
	"AX 2012 R3 Online store",
	"AX 2012 R2",
	"AX 2012 Feature Pack",
	"AX 2009",
] as const;

export type RetailChannelSchema = (typeof retailChannelSchemas)[number];

export type ChannelDataGroupFields = {
	name: string;
	description: string;
	schema: RetailChannelSchema;
	workingFoldersId: string;
};

export type ChannelDataGroup = RecordMeta & ChannelDataGroupFields;

export type ChannelDatabaseFields = {
	/** The Channel database ID: the name of this channel database profile. */
	name: string;
	dataGroupId: string;
	/** Case-sensitive, unique across channel databases. */
	userName: string;
	/** The password, encrypted by the store (see store/secrets.ts); never plain text on disk. */
	passwordSecret: string;
	profileId: string;
	/** The retail channels (stores) that use this database. */
	channels: string[];
	/** Retail Server FastTab: the server hosting the channel database, and its name. */
	serverName: string;
	databaseName: string;
	/** Shifts this database's interval grid by a stable offset so stores sharing a profile do not all run at once. */
	spreadLoad: boolean;
	/** Set by "Full data sync": the client takes everything again on its next download. */
	fullSyncRequestedAt?: string;
};

export type ChannelDatabase = RecordMeta & ChannelDatabaseFields;

export type SchedulerParametersFields = {
	/** How often a failed stage of a transfer is retried; 0 retries without limit. */
	tryCount: number;
	keepDownloadSessionsDays: number;
	keepUploadSessionsDays: number;
	keepPackagesDays: number;
};

export type SchedulerParameters = RecordMeta & SchedulerParametersFields;

export const currentSchemaVersion = 3;

export type Configuration = {
	schemaVersion: number;
	profiles: AsyncServerProfile[];
	workingFolders: WorkingFolders[];
	dataGroups: ChannelDataGroup[];
	channelDatabases: ChannelDatabase[];
	/** Retail scheduler parameters: one record, edited in place. */
	parameters: SchedulerParameters;
};

/** Every list of records in the configuration, by its db.json name. */
export type Collection =
	| "profiles"
	| "workingFolders"
	| "dataGroups"
	| "channelDatabases";

export const defaultParameters: SchedulerParameters = {
	id: "parameters",
	version: 0,
	modifiedAt: "1970-01-01T00:00:00.000Z",
	modifiedBy: "",
	tryCount: 3,
	keepDownloadSessionsDays: 30,
	keepUploadSessionsDays: 30,
	keepPackagesDays: 14,
};

export function emptyConfiguration(): Configuration {
	return {
		schemaVersion: currentSchemaVersion,
		profiles: [],
		workingFolders: [],
		dataGroups: [],
		channelDatabases: [],
		parameters: { ...defaultParameters },
	};
}
