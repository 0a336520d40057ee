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
};

export type AsyncServerProfile = RecordMeta & AsyncServerProfileFields;

export const currentSchemaVersion = 1;

export type Configuration = {
	schemaVersion: number;
	profiles: AsyncServerProfile[];
};

export type Collection = Exclude<keyof Configuration, "schemaVersion">;

export function emptyConfiguration(): Configuration {
	return { schemaVersion: currentSchemaVersion, profiles: [] };
}
