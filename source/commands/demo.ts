import { profileKind } from "../domain/profile.js";
import { sameName } from "../domain/validation.js";
import {
	databaseOption,
	exitCode,
	openStore,
	parseCommandLine,
	printLine,
	printText,
} from "./command-line.js";

export const demoHelp = `Usage: cdx demo [--db PATH]

Adds example Async Server profiles for a first look. Profiles that already
exist (by name) are left as they are.`;

const exampleProfiles = [
	{
		name: "STORE-DEFAULT",
		description: "Stores: every 15 minutes down, 30 up",
		downloadIntervalMinutes: "15",
		uploadIntervalMinutes: "30",
	},
	{
		name: "FLAGSHIP",
		description: "Busy stores: prices and stock often",
		downloadIntervalMinutes: "5",
		uploadIntervalMinutes: "10",
	},
	{
		name: "OUTLET-NIGHTLY",
		description: "Small outlets: once a day",
		downloadIntervalMinutes: "1440",
		uploadIntervalMinutes: "1440",
	},
];

export async function demoCommand(args: string[]): Promise<number> {
	const { values } = parseCommandLine(args, databaseOption, "cdx demo");
	if (values.help) {
		printText(demoHelp);
		return exitCode.success;
	}
	const store = await openStore(values.db);
	let added = 0;
	for (const example of exampleProfiles) {
		const exists = store
			.getSnapshot()
			.configuration.profiles.some((profile) =>
				sameName(profile.name, example.name),
			);
		if (exists) continue;
		const outcome = await store.save(profileKind, example);
		if (outcome.ok) added += 1;
	}
	printLine(
		`Demo data: added ${added} example Async Server profiles to ${store.path} (${exampleProfiles.length - added} were there already).`,
	);
	return exitCode.success;
}
