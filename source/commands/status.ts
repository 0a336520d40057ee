import type { RunSummary } from "../domain/client-state.js";
import {
	type ClientStatusRow,
	clientStatusRows,
} from "../domain/live-status.js";
import { hiddenText, layoutTable, tableLine } from "../domain/status-table.js";
import { isoWithOffset } from "../domain/status-words.js";
import { displayText, inertJson } from "../domain/text.js";
import { watchClientStates } from "../store/client-states.js";
import { stateDirectory } from "../store/paths.js";
import { commandContext } from "./command-context.js";
import {
	databaseOption,
	exitCode,
	helpShown,
	openStore,
	parseCommandLine,
	printLine,
	printText,
} from "./command-line.js";

export const statusHelp = `Usage: cdx status [--json] [--watch] [--db PATH]

What the live panel shows, for scripts and plain terminals: each channel
database's Async Client in a table with the columns CHANNEL DB, STATUS,
NEXT DOWNLOAD, LEFT, NEXT UPLOAD, LEFT, LAST DOWNLOAD, LAST UPLOAD, soonest
next run first. On a terminal, columns that do not fit are left out (the
header says which); times are in the profile's time zone, named when it is
not this machine's; ≈ marks times the profile gives while no client runs.

Options:
  --json    a list, one object per channel database: channelDatabase, id
            (its record id), profile, timeZone, status (running, stale,
            crashed, stopped, not-started), live (true when the times come
            from a running client, false when computed from the profile),
            rescheduling, nextDownloadAt, nextUploadAt (ISO 8601 with
            offset, or null), currentRun ({direction, startedAt, step,
            done, total, unit: packages, rows or outbox files} or null),
            waitingFor ({sequence, since,
            reason} or null), lastDownload and lastUpload ({at, status,
            packages, rows} or null), problem (text or null), client ({pid,
            host, startedAt} or null)
  --watch   again every second until Ctrl+C: on a terminal the table is
            redrawn in place, otherwise a new one is printed each time
            (with --json: one list per line)
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

/** The stable JSON of one row (documented in --help and the README); new fields are only ever added. */
export function statusJson(row: ClientStatusRow) {
	return {
		channelDatabase: row.channelDatabase,
		id: row.key,
		profile: row.profile,
		timeZone: row.timeZone,
		status: row.status,
		live: row.live,
		rescheduling: row.rescheduling,
		nextDownloadAt: row.nextDownloadAt && isoWithOffset(row.nextDownloadAt),
		nextUploadAt: row.nextUploadAt && isoWithOffset(row.nextUploadAt),
		currentRun: row.currentRun,
		waitingFor: row.waitingFor,
		lastDownload: runJson(row.lastDownload),
		lastUpload: runJson(row.lastUpload),
		problem: row.problem,
		client: row.client,
	};
}

/**
 * The live panel's table as lines: the same columns and words. `width` is
 * the terminal's; Infinity (a pipe, a file) keeps every column.
 */
export function statusTable(
	rows: readonly ClientStatusRow[],
	now: Date,
	machineZone: string,
	width: number,
): string[] {
	const layout = layoutTable(rows, { now, machineZone }, width);
	const hidden = hiddenText(layout);
	const header = tableLine(
		layout,
		layout.columns.map((column) => column.title),
	);
	// The columns have no room for a problem (an unreadable state file, a
	// configuration the client cannot use): each gets a line of its own.
	const notes = rows.flatMap((row) => [
		...(row.problem === null ? [] : [`${row.channelDatabase}: ${row.problem}`]),
		...(row.status === "crashed"
			? [
					`${row.channelDatabase}: the client is gone without a clean stop; start it again: cdx client --channel-db ${row.channelDatabase}`,
				]
			: []),
	]);
	const expected = rows.some((row) => !row.live)
		? ["≈ expected times: no client running for that channel database"]
		: [];
	return [
		hidden ? `${header}  (${hidden})` : header,
		...layout.cells.map((cells) =>
			tableLine(
				layout,
				cells.map((cell) => cell.text),
			),
		),
		...expected,
		...notes,
	];
}

const home = "\u001B[H";
const clearLine = "\u001B[K";
const clearBelow = "\u001B[J";
const clearScreen = "\u001B[2J";

export async function statusCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseCommandLine(args, options, "cdx status");
	if (values.help) return helpShown(statusHelp);
	if (positionals.length > 0) {
		printText(statusHelp);
		return exitCode.usage;
	}
	const store = await openStore(values.db);
	const watcher = watchClientStates(stateDirectory(store.path));
	const machineZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
	// A terminal's size, when stdout is one (a test's pipe has none).
	const stdout = commandContext().stdout as NodeJS.WritableStream & {
		isTTY?: boolean;
		columns?: number;
		rows?: number;
	};
	const terminal = stdout.isTTY === true;
	let first = true;
	const print = async () => {
		await Promise.all([store.reload(), watcher.refresh()]);
		const now = new Date();
		const rows = clientStatusRows(
			store.getSnapshot().configuration,
			watcher.getSnapshot(),
			now,
		);
		if (values.json) {
			printText(inertJson(rows.map(statusJson), values.watch ? 0 : 2));
			return;
		}
		const lines = statusTable(
			rows,
			now,
			machineZone,
			terminal ? (stdout.columns ?? 80) : Number.POSITIVE_INFINITY,
		);
		if (values.watch && terminal) {
			// Like watch(1): the table is drawn over itself, each line cleared to its end.
			stdout.write(first ? clearScreen + home : home);
			for (const line of lines.slice(0, (stdout.rows ?? 24) - 1))
				stdout.write(`${displayText(line)}${clearLine}\n`);
			stdout.write(clearBelow);
		} else {
			if (values.watch && !first) printText("");
			for (const line of lines) printLine(line);
		}
		first = false;
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
