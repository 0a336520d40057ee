import type { ChannelDatabaseFields } from "./configuration.js";
import { databaseNameProblem, parseDatabaseServer } from "./database-server.js";
import { profileScheduleLine } from "./profile-schedule.js";
import { nameById, pickByName, type RecordKind } from "./record-kind.js";
import {
	type FieldProblem,
	type FieldRule,
	idList,
	linkTo,
	maxNameLength,
	nameTaken,
	oneOf,
	optionalText,
	recordName,
	requiredText,
	validateFields,
	withProblems,
} from "./validation.js";

const labels = {
	name: "Channel database ID",
	dataGroup: "Channel data group",
	userName: "User name",
	password: "Password",
	profile: "Async Server profile",
	channels: "Retail channels",
	serverName: "Retail Server: server",
	databaseName: "Retail Server: database",
	spreadLoad: "Spread load across the interval",
} as const;

const yesNo = ["No", "Yes"] as const;

/** What the form yields: the typed password, which the store encrypts into passwordSecret. */
export type ChannelDatabaseInput = Omit<
	ChannelDatabaseFields,
	"passwordSecret" | "fullSyncRequestedAt"
> & {
	password: string;
};

const maxUserNameLength = 64;
/** Server, database and password: as long as the SQL servers take them. */
const maxServerTextLength = 128;

/** Required for a new channel database; on an existing one an empty field keeps the stored password. */
function password(isNew: boolean): FieldRule<string> {
	const text = optionalText(maxServerTextLength);
	return (raw) => {
		if (raw === "")
			return isNew
				? { ok: false, message: "required" }
				: { ok: true, value: "" };
		if (raw !== raw.trim())
			return { ok: false, message: "must not start or end with a space" };
		return text(raw);
	};
}

/** Empty (the embedded SQLite file), or the PostgreSQL server that keeps the data: HOST[:PORT]. */
const databaseServer: FieldRule<string> = (raw) => {
	const text = optionalText(maxServerTextLength)(raw);
	if (!text.ok || text.value === "") return text;
	const parsed = parseDatabaseServer(text.value);
	return parsed.ok ? text : { ok: false, message: parsed.problem };
};

/** A server without a database name would leave PostgreSQL to guess which database holds the data. */
function databaseForServer(
	server: string | undefined,
	database: string | undefined,
): FieldProblem | null {
	const named = (server ?? "").trim();
	// A server that is no server is its own field's problem, named first.
	if (named === "" || !databaseServer(named).ok) return null;
	const problem = databaseNameProblem((database ?? "").trim());
	return problem === null
		? null
		: { field: "databaseName", label: labels.databaseName, message: problem };
}

export const channelDatabaseKind: RecordKind<
	ChannelDatabaseFields,
	ChannelDatabaseInput
> = {
	collection: "channelDatabases",
	title: "Channel database",
	fields: [
		{
			key: "name",
			label: labels.name,
			header: "Channel database ID",
			kind: "text",
			maxLength: maxNameLength,
		},
		{
			key: "dataGroup",
			label: labels.dataGroup,
			header: "Data group",
			...pickByName("dataGroups", (group) =>
				[group.schema, group.description].filter(Boolean).join(" · "),
			),
		},
		{
			key: "userName",
			label: labels.userName,
			header: "User name",
			kind: "text",
			maxLength: maxUserNameLength,
		},
		{
			key: "password",
			label: labels.password,
			header: "Password",
			kind: "password",
			maxLength: maxServerTextLength,
		},
		{
			key: "profile",
			label: labels.profile,
			header: "Profile",
			...pickByName("profiles", (profile) =>
				[profileScheduleLine(profile), profile.description]
					.filter(Boolean)
					.join(" · "),
			),
		},
		{
			key: "channels",
			label: labels.channels,
			header: "Channels",
			kind: "list",
		},
		{
			key: "serverName",
			label: labels.serverName,
			header: "Server",
			kind: "text",
			maxLength: maxServerTextLength,
		},
		{
			key: "databaseName",
			label: labels.databaseName,
			header: "Database",
			kind: "text",
			maxLength: maxServerTextLength,
		},
		{
			key: "spreadLoad",
			label: labels.spreadLoad,
			header: "Spread",
			kind: "pick",
			options: () => [...yesNo],
		},
	],

	validate(draft, configuration, selfId) {
		const result = validateFields<
			Omit<ChannelDatabaseInput, "dataGroupId" | "profileId" | "spreadLoad"> & {
				dataGroup: string;
				profile: string;
				spreadLoad: (typeof yesNo)[number];
			}
		>(draft, {
			name: { label: labels.name, rule: recordName(maxNameLength) },
			dataGroup: {
				label: labels.dataGroup,
				rule: linkTo(configuration.dataGroups, "channel data group"),
			},
			userName: {
				label: labels.userName,
				rule: requiredText(maxUserNameLength),
			},
			password: {
				label: labels.password,
				rule: password(selfId === undefined),
			},
			profile: {
				label: labels.profile,
				rule: linkTo(configuration.profiles, "Async Server profile"),
			},
			channels: { label: labels.channels, rule: idList(20) },
			serverName: { label: labels.serverName, rule: databaseServer },
			databaseName: {
				label: labels.databaseName,
				rule: optionalText(maxServerTextLength),
			},
			spreadLoad: { label: labels.spreadLoad, rule: oneOf(yesNo) },
		});
		const checked = withProblems(result, [
			databaseForServer(draft.serverName, draft.databaseName),
			nameTaken(configuration.channelDatabases, draft.name, selfId, {
				field: "name",
				label: labels.name,
				noun: "channel database",
			}),
			nameTaken(
				configuration.channelDatabases.map((database) => ({
					id: database.id,
					name: database.userName,
				})),
				draft.userName,
				selfId,
				{
					field: "userName",
					label: labels.userName,
					noun: "channel database",
					caseSensitive: true,
				},
			),
		]);
		if (!checked.ok) return checked;
		const { dataGroup, profile, spreadLoad, ...rest } = checked.value;
		return {
			ok: true,
			value: {
				...rest,
				dataGroupId: dataGroup,
				profileId: profile,
				spreadLoad: spreadLoad === "Yes",
			},
		};
	},

	toDraft: (database, configuration) => ({
		name: database.name,
		dataGroup: nameById(configuration.dataGroups, database.dataGroupId),
		userName: database.userName,
		password: "",
		profile: nameById(configuration.profiles, database.profileId),
		channels: database.channels.join(", "),
		serverName: database.serverName,
		databaseName: database.databaseName,
		spreadLoad: database.spreadLoad ? "Yes" : "No",
	}),

	nameOf: (database) => database.name,

	emptyDraft: () => ({
		name: "",
		dataGroup: "",
		userName: "",
		password: "",
		profile: "",
		channels: "",
		serverName: "",
		databaseName: "",
		spreadLoad: "No",
	}),

	// Nothing points at a channel database; its client's state is not configuration.
	usedBy: () => [],

	secret: { typed: "password", stored: "passwordSecret" },
};
