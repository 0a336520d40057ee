import "../helpers/force-colour.js";
import test from "ava";
import { render } from "ink-testing-library";
import type { ClientStatusRow } from "../../source/domain/live-status.js";
import {
	fitLines,
	LivePanel,
	panelView,
} from "../../source/tui/components/live-panel.js";
import { stylesBefore, withoutStyles } from "../helpers/sgr.js";
import { appliedDownload } from "../helpers/status-runs.js";

const now = new Date("2026-11-26T08:07:00.000Z");

function row(index: number, fields: Partial<ClientStatusRow> = {}) {
	const name = `STORE-${String(index).padStart(4, "0")}`;
	return {
		key: `id-${index}`,
		channelDatabase: name,
		profile: "STORES",
		timeZone: "UTC",
		status: "running",
		live: true,
		rescheduling: false,
		nextDownloadAt: new Date(now.getTime() + (index + 1) * 60_000),
		nextUploadAt: new Date(now.getTime() + 30 * 60_000),
		currentRun: null,
		waitingFor: null,
		lastDownload: null,
		lastUpload: null,
		problem: null,
		client: null,
		channelStore: null,
		answers: [],
		...fields,
	} satisfies ClientStatusRow;
}

function panel(
	rows: ClientStatusRow[],
	{ width = 80, height = 6, cursor = 0, focused = false } = {},
) {
	const shown = render(
		<LivePanel
			view={panelView({
				rows,
				now,
				machineZone: "UTC",
				height,
				width,
				cursor,
				focused,
			})}
			width={width}
		/>,
	);
	const frame = shown.lastFrame() ?? "";
	shown.unmount();
	return { frame, text: withoutStyles(frame) };
}

test("clients that do not fit are counted, with how to scroll, and no line is left blank", (t) => {
	const { text } = panel(
		Array.from({ length: 12 }, (_, index) => row(index)),
		{ height: 6 },
	);
	const lines = text.split("\n");
	t.is(lines.length, 6);
	t.true(lines.every((line) => line.trim() !== ""));
	t.is(lines.at(-1)?.trim(), "9 more (p to scroll)");
	t.regex(lines[1] ?? "", /^CHANNEL DB\s+STATUS\s+NEXT DOWNLOAD/);
});

test("on a wide terminal a failed last run is on the row, in red, and the word says so", (t) => {
	const failed = row(1, {
		lastDownload: {
			startedAt: "2026-11-26T08:06:40.000Z",
			at: "2026-11-26T08:06:48.000Z",
			status: "Failed",
			packages: 0,
			rows: 0,
			message: "0000000003.package.json quarantined",
		},
	});
	const { frame, text } = panel([failed, row(2)], { width: 160 });
	t.regex(text, /LAST DOWNLOAD\s+LAST UPLOAD/);
	t.false(text.includes("hidden:"));
	t.deepEqual(stylesBefore(frame, "Failed 12s ago"), ["red"]);
});

test("at 80 columns the panel keeps the essential columns and says which are hidden", (t) => {
	const { text } = panel(
		[
			row(1, { lastDownload: appliedDownload, lastUpload: appliedDownload }),
			row(2, { lastDownload: appliedDownload }),
		],
		{ width: 80 },
	);
	t.regex(
		text,
		/CHANNEL DB\s+STATUS\s+NEXT DOWNLOAD\s+LEFT\s+NEXT UPLOAD\s+LEFT\n/,
	);
	t.true(text.includes("hidden: LAST UPLOAD, LAST DOWNLOAD"));
	t.true(text.split("\n").every((line) => [...line].length <= 80));
});

test("a current run shows its progress bar on a wide row", (t) => {
	const { text } = panel(
		[
			row(1, {
				currentRun: {
					direction: "download",
					startedAt: now.toISOString(),
					step: "applying",
					done: 5,
					total: 10,
				},
			}),
		],
		{ width: 160 },
	);
	t.true(text.includes("↓ 5/10 packages █████░░░░░"));
});

test("the lines under the header go to rows, then the note, then N more, never more than there are", (t) => {
	t.deepEqual(fitLines(2, 3, true), {
		visible: 2,
		moreLine: false,
		noteShown: true,
	});
	t.deepEqual(fitLines(5, 3, true), {
		visible: 1,
		moreLine: true,
		noteShown: true,
	});
	t.deepEqual(fitLines(2, 2, true), {
		visible: 2,
		moreLine: false,
		noteShown: false,
	});
	t.deepEqual(fitLines(5, 2, true), {
		visible: 1,
		moreLine: true,
		noteShown: false,
	});
	t.deepEqual(fitLines(5, 1, false), {
		visible: 1,
		moreLine: false,
		noteShown: false,
	});
});
