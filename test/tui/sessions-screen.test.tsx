import {
	appendFile,
	mkdir,
	readdir,
	readFile,
	writeFile,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import chalk from "chalk";
import type { SessionEvent } from "../../source/domain/session-events.js";
import { defaultKeymap, type Keymap } from "../../source/tui/keymap.js";
import { makeTempDatabasePath } from "../helpers/database.js";
import { keys, renderApp } from "../helpers/render-app.js";
import { withoutStyles } from "../helpers/sgr.js";

const inverse = "\u001B[7m";
const inverseOff = "\u001B[27m";

function session(
	fields: Partial<SessionEvent> & Pick<SessionEvent, "id" | "status">,
): SessionEvent {
	return {
		direction: "download",
		package: "/srv/cdx/download/DG1/0000000001.package.json",
		sequence: 1,
		tries: 1,
		rows: 10,
		startedAt: "2026-11-26T08:00:00.000Z",
		finishedAt: "2026-11-26T08:00:01.000Z",
		error: null,
		at: "2026-11-26T08:00:01.000Z",
		...fields,
	} as SessionEvent;
}

async function databaseWithSessions(events: SessionEvent[]): Promise<string> {
	const path = await makeTempDatabasePath();
	const log = join(dirname(path), "state", "STORE-1.sessions.jsonl");
	await mkdir(dirname(log), { recursive: true });
	// The last line cut short, as a crash would leave it: skipped, never fatal.
	await writeFile(
		log,
		`${events.map((event) => JSON.stringify(event)).join("\n")}\n{"id": "broken`,
	);
	return path;
}

async function openDownloadSessions(
	path: string,
	options: Parameters<typeof renderApp>[1] = {},
) {
	const app = await renderApp(path, options);
	await app.press(":");
	await app.type("download sessions");
	await app.press(keys.enter);
	await app.waitFor("Inquiries › Commerce Data Exchange › Download sessions");
	return app;
}

const events = [
	session({
		id: "s1",
		status: "Applied",
		package: "/d/DG1/0000000001.package.json",
		startedAt: "2026-11-26T08:00:00.000Z",
	}),
	session({
		id: "s2",
		status: "Started",
		package: "/d/DG1/0000000002.package.json",
		startedAt: "2026-11-26T08:15:00.000Z",
	}),
	session({
		id: "s2",
		status: "Apply failed",
		package: "/d/DG1/0000000002.package.json",
		startedAt: "2026-11-26T08:15:00.000Z",
		tries: 3,
		error: "table ITEMS: row without a key",
	}),
	session({
		id: "u1",
		direction: "upload",
		status: "Uploaded",
		package: "/u/STORE-1/up-1.package.json",
	} as never),
];

test.serial(
	"download sessions are listed newest first, one line per session, with its latest status",
	async (t) => {
		const app = await openDownloadSessions(await databaseWithSessions(events));
		t.teardown(app.unmount);
		await app.waitFor("0000000002.package.json");
		t.regex(
			app.screen(),
			/2026-11-26 08:15:00\s+STORE-1\s+Apply failed\s+3\s+10\s+0000000002\.package\.json[\s\S]*08:00:00\s+STORE-1\s+Applied/,
		);
		t.false(app.screen().includes("up-1.package.json"));
		t.notRegex(app.screen(), /STORE-1\s+Started/);
	},
);

test.serial(
	"a session log line that cannot be read is left out and counted on the screen",
	async (t) => {
		const app = await openDownloadSessions(await databaseWithSessions(events));
		t.teardown(app.unmount);
		await app.waitFor("0000000002.package.json");
		t.true(
			app
				.screen()
				.includes(
					"⚠ 1 line of the session logs could not be read (cut short or damaged) and is left out",
				),
		);
	},
);

test.serial("Enter shows a session's detail with the error text", async (t) => {
	const app = await openDownloadSessions(await databaseWithSessions(events));
	t.teardown(app.unmount);
	await app.waitFor("Apply failed");
	await app.press(keys.enter);
	await app.waitFor("Download session s2");
	t.regex(app.screen(), /Message\s+table ITEMS: row without a key/);
	await app.press(keys.escape);
	await app.waitFor("2 records");
});

test.serial(
	"r asks the client to retry a failed session; an applied one cannot be retried",
	async (t) => {
		const path = await databaseWithSessions(events);
		const app = await openDownloadSessions(path);
		t.teardown(app.unmount);
		await app.waitFor("Apply failed");
		await app.press("r");
		await app.waitFor(
			"Asked STORE-1's client to retry the session of 0000000002.package.json",
		);
		const stateFolder = join(dirname(path), "state");
		const requests = (await readdir(stateFolder)).filter((name) =>
			name.includes(".session-request."),
		);
		t.is(requests.length, 1);
		t.like(
			JSON.parse(await readFile(join(stateFolder, requests[0] ?? ""), "utf8")),
			{ action: "retry", sessionId: "s2" },
		);
		await app.press(keys.down, "r");
		await app.waitFor(
			"Only a failed session can be retried (this one is Applied)",
		);
	},
);

test.serial(
	"c on an upload session says an upload cannot be canceled, and asks nothing",
	async (t) => {
		const path = await databaseWithSessions([
			session({
				id: "upload:1",
				direction: "upload",
				status: "Upload failed",
				package: "/u/STORE-1/0000000001.package.json",
			} as never),
		]);
		const app = await renderApp(path);
		t.teardown(app.unmount);
		await app.press(":");
		await app.type("upload sessions");
		await app.press(keys.enter);
		await app.waitFor("Upload failed");
		await app.press("c");
		await app.waitFor(
			"An upload cannot be canceled: its data would be lost; retry it instead",
		);
		const names = await readdir(join(dirname(path), "state"));
		t.false(names.some((name) => name.includes(".session-request.")));
	},
);

test.serial(
	"c on a download session asks first, as it skips the package; n asks nothing of the client, y does",
	async (t) => {
		const path = await databaseWithSessions(events);
		const app = await openDownloadSessions(path);
		t.teardown(app.unmount);
		await app.waitFor("Apply failed");
		const stateFolder = join(dirname(path), "state");
		const requests = async () =>
			(await readdir(stateFolder)).filter((name) =>
				name.includes(".session-request."),
			);
		await app.press("c");
		await app.waitFor(
			"Skip package 1 for STORE-1? Its rows are never applied there",
		);
		await app.press("n");
		await app.waitFor("2 records");
		t.deepEqual(await requests(), []);
		await app.press("c");
		await app.waitFor("Skip package 1 for STORE-1?");
		await app.press("y");
		await app.waitFor("Asked STORE-1's client to cancel the session of");
		t.is((await requests()).length, 1);
	},
);

test.serial(
	"the session under the cursor is inverse across the whole width, gaps included",
	async (t) => {
		chalk.level = 1;
		t.teardown(() => {
			chalk.level = 0;
		});
		const app = await openDownloadSessions(await databaseWithSessions(events));
		t.teardown(app.unmount);
		await app.resize(80, 24);
		await app.waitFor(/›2026-11-26 08:15:00/);
		const row =
			app
				.screen()
				.split("\n")
				.find((line) => withoutStyles(line).includes("›2026")) ?? "";
		t.true(row.startsWith(`${inverse}›2026-11-26 08:15:00 `), row);
		t.true(row.endsWith(inverseOff), row);
		t.is(row.split(inverse).length, 2, "one inverse run");
		t.is(withoutStyles(row).length, 80, "edge to edge");
		t.regex(withoutStyles(row), /Apply failed +3 +10 +0000000002\.packag/);
	},
);

test.serial(
	"the cursor stays on its session through a sort, a filter and a session arriving from the client",
	async (t) => {
		const path = await databaseWithSessions(events);
		const app = await openDownloadSessions(path);
		t.teardown(app.unmount);
		await app.waitFor(/›2026-11-26 08:15:00/);
		await app.press(keys.down);
		await app.waitFor(/›2026-11-26 08:00:00/);
		// Reversed: the applied session is first now, and still the selected one.
		await app.press("s");
		await app.waitFor("sorted by Started ↑");
		t.regex(app.screen(), /›2026-11-26 08:00:00\s+STORE-1\s+Applied/);
		await app.press("/");
		await app.type("applied");
		await app.press(keys.enter);
		await app.waitFor('1 of 2 records match "applied"');
		t.regex(app.screen(), /›2026-11-26 08:00:00/);
		// The client logs an earlier-started session: it sorts first, the cursor stays.
		const log = join(dirname(path), "state", "STORE-1.sessions.jsonl");
		await appendFile(
			log,
			`\n${JSON.stringify(
				session({
					id: "s0",
					status: "Applied",
					package: "/d/DG1/0000000000.package.json",
					startedAt: "2026-11-26T07:45:00.000Z",
				}),
			)}\n`,
		);
		await app.waitFor('2 of 3 records match "applied"');
		t.regex(app.screen(), /›2026-11-26 08:00:00/);
		t.notRegex(app.screen(), /›2026-11-26 07:45:00/);
	},
);

/** A failure message that wraps to 11 lines beside its label at 80 columns, its end marked. */
const longError = `${Array.from(
	{ length: 30 },
	(_, index) => `cause-${index + 1} of the failure;`,
).join(" ")} END`;

async function longSessionDetail(options: { keymap?: Keymap } = {}) {
	const path = await databaseWithSessions([
		session({ id: "s9", status: "Apply failed", error: longError }),
	]);
	const app = await openDownloadSessions(path, options);
	await app.resize(80, 24);
	await app.waitFor("Apply failed");
	await app.press(keys.enter);
	await app.waitFor("Download session s9");
	return app;
}

test.serial(
	"at 80×24 a session's detail scrolls to its last fact and back, under markers saying how many more lines",
	async (t) => {
		const app = await longSessionDetail();
		t.teardown(app.unmount);
		const shown = () => withoutStyles(app.screen());
		t.regex(shown(), /Channel database\s+STORE-1/);
		t.regex(shown(), /▼ \d+ more below \(↓\/PgDn\)/);
		t.false(shown().includes("END"));
		// The shell around it is all there: the breadcrumb, the panel, the footer.
		t.true(shown().includes("Download sessions"));
		t.true(shown().includes("─ Async Clients"));
		t.regex(shown(), /r retry .*\? help/);
		t.true(shown().split("\n").length <= 24, shown());
		await app.press(keys.pageDown, keys.pageDown);
		await app.waitFor(/cause-30 of the failure; END/);
		t.notRegex(shown(), /more below/);
		t.regex(shown(), /▲ \d+ more above \(↑\/PgUp\)/);
		t.notRegex(shown(), /Channel database\s+STORE-1/);
		t.true(shown().includes("Download session s9"), "the title stays");
		await app.press(keys.up);
		await app.waitFor(/▼ 1 more below/);
		await app.press(keys.pageUp, keys.pageUp);
		await app.waitFor(/Channel database\s+STORE-1/);
		t.notRegex(shown(), /more above/);
	},
);

test.serial(
	"the help of a session's detail that scrolls lists its scroll keys, rebound ones as they are bound",
	async (t) => {
		const app = await longSessionDetail({
			keymap: {
				...defaultKeymap,
				pageDown: {
					...defaultKeymap.pageDown,
					keys: [{ input: "f" }],
					keyLabel: "f",
				},
			},
		});
		t.teardown(app.unmount);
		const shown = () => withoutStyles(app.screen());
		t.regex(shown(), /▼ \d+ more below \(↓\/f\)/);
		await app.press("?");
		await app.waitFor("Keys: download session");
		t.regex(shown(), /↑\/k\s+Move up/);
		t.regex(shown(), /PgUp\s+Page up/);
		t.regex(shown(), /f\s+Page down/);
		await app.press(keys.escape);
		await app.waitFor(/▼ \d+ more below/);
		await app.press("f", "f");
		await app.waitFor(/cause-30 of the failure; END/);
	},
);

test.serial(
	"at 80×24 the skip question shows whole under a session's facts, which scroll above it",
	async (t) => {
		const app = await longSessionDetail();
		t.teardown(app.unmount);
		const shown = () => withoutStyles(app.screen());
		await app.press("c");
		await app.waitFor("Skip package 1 for STORE-1?");
		t.regex(
			shown().replace(/[│\s]+/g, " "),
			/Skip package 1 for STORE-1\? Its rows are never applied there; the packages after it go ahead\. \(y\/n\)/,
		);
		t.true(shown().includes("Download session s9"));
		t.regex(shown(), /Channel database\s+STORE-1/);
		t.regex(shown(), /▼ \d+ more below/);
		t.true(shown().split("\n").length <= 24, shown());
		await app.press("n");
		await app.waitFor(/r retry/);
	},
);

test.serial(
	"rows and unreadable lines are counted as people write them: 200,000 rows, 2 lines",
	async (t) => {
		const path = await databaseWithSessions([
			session({ id: "s1", status: "Applied", rows: 200_000 }),
		]);
		// A second damaged line: the file already ends in one cut short.
		const log = join(dirname(path), "state", "STORE-1.sessions.jsonl");
		await appendFile(log, '\n{"id": "also broken\n');
		const app = await openDownloadSessions(path);
		t.teardown(app.unmount);
		await app.waitFor("Applied");
		t.true(
			app
				.screen()
				.includes(
					"⚠ 2 lines of the session logs could not be read (cut short or damaged) and are left out",
				),
		);
		t.regex(app.screen(), /Applied\s+1\s+200,000/);
		await app.press(keys.enter);
		await app.waitFor("Download session s1");
		t.regex(app.screen(), /Rows affected\s+200,000/);
	},
);
