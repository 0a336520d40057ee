import type {
	AsyncServerProfile,
	Configuration,
} from "../domain/configuration.js";
import { profileKind } from "../domain/profile.js";
import type { Draft } from "../domain/record-kind.js";
import { inertJson, quoted } from "../domain/text.js";
import { sameName } from "../domain/validation.js";
import {
	type ConfigurationStore,
	describeRefusal,
	type SaveOutcome,
} from "../store/configuration-store.js";
import {
	databaseOption,
	exitCode,
	openStore,
	parseCommandLine,
	printLine,
	printText,
	UsageError,
} from "./command-line.js";

export const profileHelp = `Usage: cdx profile <command> [options]

Edit Async Server profiles: how often each Async Client downloads data
packages from headquarters and uploads the store's data.

Commands:
  list [--json]                            all profiles
  show NAME [--json]                       one profile
  add NAME --download N --upload N [--description TEXT]
  set NAME [--download N] [--upload N] [--description TEXT]
  delete NAME

Options:
  --download N       Data download interval in minutes (1-1440)
  --upload N         Data upload interval in minutes (1-1440)
  --description TEXT Description (up to 60 characters)
  --json             print JSON: name, description, downloadIntervalMinutes, uploadIntervalMinutes
  --db PATH          the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)

Exit codes: 0 done, 1 failed, 2 bad arguments or input (nothing changed).`;

const options = {
	...databaseOption,
	json: { type: "boolean" },
	download: { type: "string" },
	upload: { type: "string" },
	description: { type: "string" },
} as const;

/** What scripts get: the fields of the profile form, under their db.json names. */
function toJson(profile: AsyncServerProfile) {
	return {
		name: profile.name,
		description: profile.description,
		downloadIntervalMinutes: profile.downloadIntervalMinutes,
		uploadIntervalMinutes: profile.uploadIntervalMinutes,
	};
}

function findProfile(
	store: ConfigurationStore,
	name: string,
): AsyncServerProfile {
	const profile = store
		.getSnapshot()
		.configuration.profiles.find((candidate) => sameName(candidate.name, name));
	if (!profile)
		throw new UsageError(
			`Async Server profile ${quoted(name)} not found (see cdx profile list)`,
		);
	return profile;
}

function report(outcome: SaveOutcome<unknown>, done: string): number {
	if (outcome.ok) {
		printLine(done);
		return exitCode.success;
	}
	const message = describeRefusal(outcome);
	if (outcome.reason === "invalid" || outcome.reason === "in-use")
		throw new UsageError(message);
	throw new Error(message);
}

function pad(text: string, width: number): string {
	return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function printTable(profiles: AsyncServerProfile[]): void {
	const nameWidth = Math.max(
		4,
		...profiles.map((profile) => profile.name.length),
	);
	printLine(`${pad("NAME", nameWidth)}  DOWNLOAD  UPLOAD  DESCRIPTION`);
	for (const profile of profiles) {
		printLine(
			`${pad(profile.name, nameWidth)}  ${pad(String(profile.downloadIntervalMinutes), 8)}  ${pad(String(profile.uploadIntervalMinutes), 6)}  ${profile.description}`,
		);
	}
}

function printProfile(
	profile: AsyncServerProfile,
	configuration: Configuration,
): void {
	const draft = profileKind.toDraft(profile, configuration);
	for (const field of profileKind.fields)
		printLine(`${field.label}: ${draft[field.key] ?? ""}`);
}

export async function profileCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(
		args,
		options,
		"cdx profile",
	);
	const [subcommand, name, ...extra] = positionals;
	if (values.help || subcommand === undefined) {
		printText(profileHelp);
		return subcommand === undefined && !values.help
			? exitCode.usage
			: exitCode.success;
	}
	if (extra.length > 0)
		throw new UsageError(
			`unexpected argument ${quoted(extra[0] ?? "")} (see cdx profile --help)`,
		);
	const needsName = () => {
		if (name === undefined)
			throw new UsageError(
				`cdx profile ${subcommand} needs the profile's NAME (see cdx profile --help)`,
			);
		return name;
	};
	// Before the database is opened: opening creates it, and exit 2 promises nothing changed.
	if (["show", "add", "set", "delete"].includes(subcommand)) needsName();
	const store = await openStore(values.db);
	const flags: Draft = {};
	if (values.description !== undefined) flags.description = values.description;
	if (values.download !== undefined)
		flags.downloadIntervalMinutes = values.download;
	if (values.upload !== undefined) flags.uploadIntervalMinutes = values.upload;

	switch (subcommand) {
		case "list": {
			const profiles = [...store.getSnapshot().configuration.profiles].sort(
				(a, b) =>
					a.name.localeCompare(b.name, undefined, { sensitivity: "base" }),
			);
			if (values.json) printText(inertJson(profiles.map(toJson)));
			else printTable(profiles);
			return exitCode.success;
		}
		case "show": {
			const profile = findProfile(store, needsName());
			if (values.json) printText(inertJson(toJson(profile)));
			else printProfile(profile, store.getSnapshot().configuration);
			return exitCode.success;
		}
		case "add": {
			const draft = {
				...profileKind.emptyDraft(),
				...flags,
				name: needsName(),
			};
			const outcome = await store.save(profileKind, draft);
			return report(
				outcome,
				`Added Async Server profile ${quoted(draft.name)}`,
			);
		}
		case "set": {
			const profile = findProfile(store, needsName());
			const draft = {
				...profileKind.toDraft(profile, store.getSnapshot().configuration),
				...flags,
			};
			const outcome = await store.save(profileKind, draft, {
				id: profile.id,
				expectedVersion: profile.version,
			});
			return report(
				outcome,
				`Saved Async Server profile ${quoted(profile.name)}`,
			);
		}
		case "delete": {
			const profile = findProfile(store, needsName());
			const outcome = await store.remove(profileKind, {
				id: profile.id,
				expectedVersion: profile.version,
			});
			return report(
				outcome,
				`Deleted Async Server profile ${quoted(profile.name)}`,
			);
		}
		default:
			throw new UsageError(
				`unknown command ${quoted(subcommand)} for cdx profile (see cdx profile --help)`,
			);
	}
}
