import test from "ava";
import type { CurrentRun } from "../../source/domain/client-state.js";
import type { ClientStatusRow } from "../../source/domain/live-status.js";
import { layoutTable, statusCell } from "../../source/domain/status-table.js";
import {
	agoText,
	lastRunText,
	leftText,
	runTimeText,
} from "../../source/domain/status-words.js";
import { appliedDownload } from "../helpers/status-runs.js";

// A Thursday.
const now = new Date("2026-11-26T08:07:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

test("LEFT is in human units, never a long clock", (t) => {
	t.is(leftText(later(42_000), now), "42s");
	t.is(leftText(later(4 * 60_000 + 2_000), now), "4m 02s");
	t.is(leftText(later(3 * 3600_000 + 10 * 60_000), now), "3h 10m");
	// A weekly cron no longer reads "in 137:34:02".
	t.is(leftText(later(137 * 3600_000 + 34 * 60_000), now), "5d 17h");
	t.is(leftText(now, now), "now");
	t.is(leftText(later(-5000), now), "now");
});

test("how long ago reads in the largest whole unit", (t) => {
	t.is(agoText(later(-12_000), now), "12s ago");
	t.is(agoText(later(-3 * 60_000 - 59_000), now), "3m ago");
	t.is(agoText(later(-26 * 3600_000), now), "1d ago");
});

test("a run time is weekday and clock in the profile's zone, named when not the machine's, with the date beyond 6 days", (t) => {
	const at = new Date("2026-11-26T18:30:00.000Z");
	t.is(runTimeText(at, now, "UTC", "UTC"), "Thu 18:30");
	t.is(runTimeText(at, now, "Etc/UTC", "UTC"), "Thu 18:30");
	t.is(runTimeText(at, now, "Europe/Berlin", "UTC"), "Thu 19:30 CET");
	t.is(runTimeText(at, now, "Europe/Berlin", "Europe/Berlin"), "Thu 19:30");
	t.is(
		runTimeText(new Date("2026-12-03T18:30:00.000Z"), now, "UTC", "UTC"),
		"Thu 3 Dec 18:30",
	);
});

test("a last run says its result in the ERP's words, how long ago, and its counts", (t) => {
	t.is(
		lastRunText(appliedDownload, "download", now),
		"Applied 3m ago · 2 pkg 1,204 rows",
	);
	t.is(
		lastRunText({ ...appliedDownload, packages: 1, rows: 30 }, "upload", now),
		"Uploaded 3m ago · 1 pkg 30 rows",
	);
	t.is(
		lastRunText(
			{
				...appliedDownload,
				status: "Failed",
				packages: 0,
				rows: 0,
				at: "2026-11-26T08:06:48.000Z",
			},
			"download",
			now,
		),
		"Failed 12s ago",
	);
});

function row(fields: Partial<ClientStatusRow> = {}): ClientStatusRow {
	return {
		key: "id-1",
		channelDatabase: "STORE-0001",
		profile: "STORES",
		timeZone: "UTC",
		status: "running",
		live: true,
		rescheduling: false,
		nextDownloadAt: later(4 * 60_000 + 2000),
		nextUploadAt: later(3 * 3600_000 + 10 * 60_000),
		currentRun: null,
		waitingFor: null,
		lastDownload: appliedDownload,
		lastUpload: {
			startedAt: "2026-11-26T08:03:00.000Z",
			at: "2026-11-26T08:06:48.000Z",
			status: "Failed",
			packages: 0,
			rows: 0,
			message: "the upload working folder is not there",
		},
		problem: null,
		client: null,
		channelStore: null,
		answers: [],
		...fields,
	};
}

const context = { now, machineZone: "UTC" };
const titles = (width: number) =>
	layoutTable([row()], context, width).columns.map((column) => column.title);

test("every column fits a wide terminal; as it narrows the least important go first and are named", (t) => {
	t.deepEqual(titles(200), [
		"CHANNEL DB",
		"STATUS",
		"NEXT DOWNLOAD",
		"LEFT",
		"NEXT UPLOAD",
		"LEFT",
		"LAST DOWNLOAD",
		"LAST UPLOAD",
	]);
	const at80 = layoutTable([row()], context, 80);
	t.deepEqual(titles(80), [
		"CHANNEL DB",
		"STATUS",
		"NEXT DOWNLOAD",
		"LEFT",
		"NEXT UPLOAD",
		"LEFT",
	]);
	t.deepEqual(at80.hidden, ["LAST UPLOAD", "LAST DOWNLOAD"]);
	t.deepEqual(titles(50), [
		"CHANNEL DB",
		"STATUS",
		"NEXT DOWNLOAD",
		"NEXT UPLOAD",
	]);
	t.deepEqual(layoutTable([row()], context, 50).hidden, [
		"LAST UPLOAD",
		"LAST DOWNLOAD",
		"upload LEFT",
		"download LEFT",
	]);
});

test("cells say the words, and a failed run is a failure", (t) => {
	const [cells] = layoutTable([row()], context, 200).cells;
	t.deepEqual(
		cells?.map((cell) => cell.text),
		[
			"STORE-0001",
			"running",
			"Thu 08:11",
			"4m 02s",
			"Thu 11:17",
			"3h 10m",
			"Applied 3m ago · 2 pkg 1,204 rows",
			"Failed 12s ago",
		],
	);
	t.is(cells?.[7]?.tone, "failure");
	t.is(cells?.[1]?.tone, "good");
});

test("a current run shows on the row with a progress bar where the width allows", (t) => {
	const running = row({
		currentRun: {
			direction: "download",
			startedAt: now.toISOString(),
			step: "applying 0000000004.package.json",
			done: 3,
			total: 10,
		},
	});
	t.is(
		layoutTable([running], context, 200).cells[0]?.[1]?.text,
		"↓ 3/10 packages ███░░░░░░░",
	);
	t.is(
		layoutTable([running], context, 80).cells[0]?.[1]?.text,
		"↓ 3/10 packages",
	);
});

test("an upload in progress counts rows on the row, an outbox import its files, and a client that does not say counts packages", (t) => {
	const upload = (fields: Partial<CurrentRun>) =>
		row({
			currentRun: {
				direction: "upload",
				startedAt: now.toISOString(),
				step: "writing 0000000002.package.json",
				done: 0,
				total: 0,
				...fields,
			},
		});
	const status = (running: ClientStatusRow, width: number) =>
		layoutTable([running], context, width).cells[0]?.[1]?.text;
	t.is(
		status(upload({ done: 600, total: 1200, unit: "rows" }), 200),
		"↑ 1,200 rows █████░░░░░",
	);
	t.is(
		status(upload({ done: 600, total: 1200, unit: "rows" }), 64),
		"↑ 1,200 rows",
	);
	t.is(
		status(upload({ done: 1, total: 3, unit: "outbox files" }), 80),
		"↑ 1/3 outbox files",
	);
	t.is(status(upload({ done: 0, total: 1 }), 80), "↑ 0/1 packages");
	t.is(status(upload({}), 80), "running ↑");
});

test("status words and tones for every state", (t) => {
	const word = (fields: Partial<ClientStatusRow>) => {
		const cell = statusCell(row(fields));
		return `${cell.text}/${cell.tone}`;
	};
	t.is(word({}), "running/good");
	t.is(word({ status: "crashed", live: false }), "✗ crashed/failure");
	t.is(word({ status: "stale", live: false }), "stale/warning");
	t.is(word({ status: "stopped", live: false }), "stopped/expected");
	t.is(word({ status: "not-started", live: false }), "not started/expected");
	t.is(word({ rescheduling: true }), "rescheduling…/warning");
	t.is(
		word({
			waitingFor: { sequence: 12, since: now.toISOString(), reason: "gap" },
		}),
		"waiting for package 12/warning",
	);
	t.is(
		word({
			currentRun: {
				direction: "upload",
				startedAt: now.toISOString(),
				step: "starting",
				done: 0,
				total: 0,
			},
		}),
		"running ↑/good",
	);
	t.is(word({ problem: "db.json is not valid JSON" }), "⚠ running/failure");
});
