import type { RunSummary } from "../domain/client-state.js";
import {
	type ClientStatusRow,
	clientStatusRows,
	countdown,
	isoWithOffset,
} from "../domain/live-status.js";
import { inertJson } from "../domain/text.js";
import { watchClientStates } from "../store/client-states.js";
import { stateDirectory } from "../store/paths.js";
import { commandContext } from "./command-context.js";
import {
	databaseOption,
	exitCode,
	openStore,
	parseCommandLine,
	printLine,
	printText,
} from "./command-line.js";

export const statusHelp = `Usage: cdx status [--json] [--watch] [--db PATH]

What the live panel shows, for scripts and plain terminals: each channel
database's Async Client, its status, and its next download and upload.

Options:
  --json    a list, one object per channel database: channelDatabase, profile,
            status (running, stale, stopped, not-started), live (true when the
            times come from a running client, false when computed from the
            profile), rescheduling, nextDownloadAt, nextUploadAt (ISO 8601
            with offset, or null), currentRun, lastDownload and lastUpload
            ({at, status, packages, rows} or null), waitingFor (the download
            package the client waits for: {sequence, since, reason}, or null),
            problem (text or null)
  --watch   print again every second until Ctrl+C (with --json: one list per line)
  --db PATH the database (default: $CDX_DB, else $XDG_DATA_HOME/cdx-scheduler/db.json)`;

const options = {
	...databaseOption,
	json: { type: "boolean" },
	watch: { type: "boolean" },
} as const;

function runJson(run: RunSummary | null) {
	return run === null
		? null
		: {
				at: isoWithOffset(new Date(run.at)),
				status: run.status,
				packages: run.packages,
				rows: run.rows,
			};
}

/** The stable JSON of one row (documented in --help and the README). */
export function statusJson(row: ClientStatusRow) {
	return {
		channelDatabase: row.channelDatabase,
		profile: row.profile,
		status: row.status,
		live: row.live,
		rescheduling: row.rescheduling,
		nextDownloadAt: row.nextDownloadAt && isoWithOffset(row.nextDownloadAt),
		nextUploadAt: row.nextUploadAt && isoWithOffset(row.nextUploadAt),
		currentRun: row.currentRun,
		lastDownload: runJson(row.lastDownload),
		lastUpload: runJson(row.lastUpload),
		waitingFor: row.waitingFor,
		problem: row.problem,
	};
}

function when(at: Date | null, now: Date): string {
	return at === null
		? "—"
		: `${at.toLocaleTimeString("en-GB", { hour12: false })} (in ${countdown(at, now)})`;
}

function last(run: RunSummary | null): string {
	return run === null
		? "—"
		: `${new Date(run.at).toLocaleTimeString("en-GB", { hour12: false })} ${run.status}, ${run.packages} pkg, ${run.rows} rows`;
}

function table(rows: ClientStatusRow[], now: Date): string[] {
	const lines = rows.map((row) => [
		row.channelDatabase,
		row.rescheduling
			? "rescheduling"
			: row.live
				? row.status
				: `${row.status} (expected times)`,
		row.profile ?? "—",
		when(row.nextDownloadAt, now),
		when(row.nextUploadAt, now),
		last(row.lastDownload),
		last(row.lastUpload),
	]);
	const header = [
		"CHANNEL DB",
		"STATUS",
		"PROFILE",
		"NEXT DOWNLOAD",
		"NEXT UPLOAD",
		"LAST DOWNLOAD",
		"LAST UPLOAD",
	];
	const widths = header.map((title, column) =>
		Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)),
	);
	const format = (cells: string[]) =>
		cells
			.map((cell, column) => cell.padEnd(widths[column] ?? 0))
			.join("  ")
			.trimEnd();
	// The columns have no room for a problem (an unreadable state file, a
	// configuration the client cannot use): each gets a line of its own.
	const problems = rows
		.filter((row) => row.problem !== null)
		.map((row) => `${row.channelDatabase}: ${row.problem}`);
	return [format(header), ...lines.map(format), ...problems];
}

export async function statusCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(args, options, "cdx status");
	if (values.help) {
		printText(statusHelp);
		return exitCode.success;
	}
	if (positionals.length > 0) {
		printText(statusHelp);
		return exitCode.usage;
	}
	const store = await openStore(values.db);
	const watcher = watchClientStates(stateDirectory(store.path));
	const print = async () => {
		await Promise.all([store.reload(), watcher.refresh()]);
		const now = new Date();
		const rows = clientStatusRows(
			store.getSnapshot().configuration,
			watcher.getSnapshot(),
			now,
		);
		if (values.json)
			printText(inertJson(rows.map(statusJson), values.watch ? 0 : 2));
		else {
			const { stdout } = commandContext();
			if (values.watch && stdout.isTTY) stdout.write("\u001B[H\u001B[2J");
			for (const line of table(rows, now)) printLine(line);
		}
	};
	await print();
	if (!values.watch) return exitCode.success;
	const timer = setInterval(() => void print(), 1000);
	await new Promise<void>((resolve) => {
		for (const signal of ["SIGINT", "SIGTERM"] as const)
			process.once(signal, () => resolve());
	});
	clearInterval(timer);
	return exitCode.success;
}
