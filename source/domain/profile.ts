import type { AsyncServerProfileFields } from "./configuration.js";
import type { RecordKind } from "./record-kind.js";
import { cronExpressionProblem, timeZoneProblem } from "./schedule.js";
import { quoted } from "./text.js";
import {
	type FieldRule,
	maxDescriptionLength,
	maxNameLength,
	nameTaken,
	optionalText,
	recordName,
	validateFields,
	wholeNumber,
	withProblems,
} from "./validation.js";

const labels = {
	name: "Name",
	description: "Description",
	downloadIntervalMinutes: "Data download interval in minutes",
	uploadIntervalMinutes: "Data upload interval in minutes",
	downloadCron: "Download schedule (cron)",
	uploadCron: "Upload schedule (cron)",
	timeZone: "Time zone",
} as const;

/** Empty, or a cron expression cron-parser accepts. */
function cronExpression(): FieldRule<string> {
	return (raw) => {
		const value = raw.trim();
		if (value === "") return { ok: true, value };
		const problem = cronExpressionProblem(value);
		return problem === null
			? { ok: true, value }
			: { ok: false, message: `${problem} (got ${quoted(raw)})` };
	};
}

function timeZone(): FieldRule<string> {
	return (raw) => {
		const value = raw.trim() === "" ? "UTC" : raw.trim();
		const problem = timeZoneProblem(value);
		return problem === null
			? { ok: true, value }
			: { ok: false, message: problem };
	};
}

/** A day: longer intervals would leave a store without headquarters data for days. */
export const maxIntervalMinutes = 1440;

export const profileKind: RecordKind<AsyncServerProfileFields> = {
	collection: "profiles",
	title: "Async Server profile",
	fields: [
		{
			key: "name",
			label: labels.name,
			header: "Name",
			kind: "text",
			maxLength: maxNameLength,
		},
		{
			key: "description",
			label: labels.description,
			header: "Description",
			kind: "text",
			maxLength: maxDescriptionLength,
		},
		{
			key: "downloadIntervalMinutes",
			label: labels.downloadIntervalMinutes,
			header: "Download (min)",
			kind: "number",
			unusedBecause: (draft) =>
				(draft.downloadCron ?? "").trim() === ""
					? null
					: "cron replaces the interval",
		},
		{
			key: "uploadIntervalMinutes",
			label: labels.uploadIntervalMinutes,
			header: "Upload (min)",
			kind: "number",
			unusedBecause: (draft) =>
				(draft.uploadCron ?? "").trim() === ""
					? null
					: "cron replaces the interval",
		},
		{
			key: "downloadCron",
			label: labels.downloadCron,
			header: "Download cron",
			kind: "text",
		},
		{
			key: "uploadCron",
			label: labels.uploadCron,
			header: "Upload cron",
			kind: "text",
		},
		{
			key: "timeZone",
			label: labels.timeZone,
			header: "Time zone",
			kind: "text",
		},
	],

	validate(draft, configuration, selfId) {
		const result = validateFields<AsyncServerProfileFields>(draft, {
			name: { label: labels.name, rule: recordName(maxNameLength) },
			description: {
				label: labels.description,
				rule: optionalText(maxDescriptionLength),
			},
			downloadIntervalMinutes: {
				label: labels.downloadIntervalMinutes,
				rule: wholeNumber(1, maxIntervalMinutes),
			},
			uploadIntervalMinutes: {
				label: labels.uploadIntervalMinutes,
				rule: wholeNumber(1, maxIntervalMinutes),
			},
			downloadCron: { label: labels.downloadCron, rule: cronExpression() },
			uploadCron: { label: labels.uploadCron, rule: cronExpression() },
			timeZone: { label: labels.timeZone, rule: timeZone() },
		});
		return withProblems(result, [
			nameTaken(configuration.profiles, draft.name, selfId, {
				field: "name",
				label: labels.name,
				noun: "profile",
			}),
		]);
	},

	toDraft: (profile) => ({
		name: profile.name,
		description: profile.description,
		downloadIntervalMinutes: String(profile.downloadIntervalMinutes),
		uploadIntervalMinutes: String(profile.uploadIntervalMinutes),
		downloadCron: profile.downloadCron,
		uploadCron: profile.uploadCron,
		timeZone: profile.timeZone,
	}),

	nameOf: (profile) => profile.name,

	emptyDraft: () => ({
		name: "",
		description: "",
		downloadIntervalMinutes: "",
		uploadIntervalMinutes: "",
		downloadCron: "",
		uploadCron: "",
		timeZone: "UTC",
	}),

	usedBy: (configuration, id) =>
		configuration.channelDatabases
			.filter((database) => database.profileId === id)
			.map((database) => `channel database ${database.name}`),
};
