import test from "ava";
import {
	type ClientState,
	clientLiveness,
	parseClientState,
	waitingForOf,
} from "../../source/domain/client-state.js";
import {
	parseSessionLog,
	type SessionEvent,
} from "../../source/domain/session-events.js";

const state: ClientState = {
	formatVersion: 1,
	pid: 4242,
	host: "store-server",
	startedAt: "2026-11-26T08:00:00.000Z",
	heartbeatAt: "2026-11-26T08:10:00.000Z",
	stoppedAt: null,
	channelDatabase: "STORE1",
	profile: "STORES",
	dataGroup: "GROUP-A",
	nextDownloadAt: "2026-11-26T08:15:00.000Z",
	nextUploadAt: null,
	currentRun: {
		direction: "download",
		startedAt: "2026-11-26T08:09:59.000Z",
		step: "applying 0000000003.package.json",
		done: 2,
		total: 5,
	},
	lastDownload: null,
	lastUpload: {
		startedAt: "2026-11-26T08:00:00.000Z",
		at: "2026-11-26T08:00:01.000Z",
		status: "No data",
		packages: 0,
		rows: 0,
		message: null,
	},
	configProblem: null,
	scheduleChangedAt: "2026-11-26T08:00:00.000Z",
};

function event(fields: Partial<SessionEvent>): SessionEvent {
	return {
		id: "download:GROUP-A:1:0",
		direction: "download",
		status: "Requested",
		package: "/hq/download/GROUP-A/0000000001.package.json",
		sequence: 1,
		tries: 0,
		rows: 3,
		startedAt: "2026-11-26T08:00:00.000Z",
		finishedAt: null,
		error: null,
		at: "2026-11-26T08:00:00.000Z",
		...fields,
	} as SessionEvent;
}

test("a state file reads back as the state that was written", (t) => {
	t.deepEqual(parseClientState(JSON.stringify(state)), { ok: true, state });
});

test("a state file of the wrong shape is refused, naming the field", (t) => {
	t.deepEqual(
		parseClientState(JSON.stringify({ ...state, nextDownloadAt: "soon" })),
		{
			ok: false,
			problem: "nextDownloadAt: missing or of the wrong type",
		},
	);
	const negative = parseClientState(
		JSON.stringify({ ...state, currentRun: { ...state.currentRun, done: -1 } }),
	);
	t.deepEqual(negative, {
		ok: false,
		problem: "currentRun: missing or of the wrong type",
	});
	const cut = parseClientState('{"formatVersion":1');
	t.regex(cut.ok ? "" : cut.problem, /^not valid JSON/);
});

test("a client is running while its heartbeat is fresh, stale after 10 s without one, stopped when it said so", (t) => {
	t.is(clientLiveness(state, new Date("2026-11-26T08:10:05.000Z")), "running");
	t.is(clientLiveness(state, new Date("2026-11-26T08:10:11.000Z")), "stale");
	t.is(
		clientLiveness(
			{ ...state, stoppedAt: "2026-11-26T08:10:01.000Z" },
			new Date("2026-11-26T08:10:02.000Z"),
		),
		"stopped",
	);
});

test("the session log folds to the last event of each session, in the order sessions began", (t) => {
	const lines = [
		event({}),
		event({
			id: "upload:1",
			direction: "upload",
			status: "Started",
			sequence: 1,
		}),
		event({
			status: "Applied",
			tries: 1,
			finishedAt: "2026-11-26T08:00:01.000Z",
		}),
	].map((line) => JSON.stringify(line));
	const history = parseSessionLog(`${lines.join("\n")}\n`);
	t.deepEqual(
		history.sessions.map((session) => [session.id, session.status]),
		[
			["download:GROUP-A:1:0", "Applied"],
			["upload:1", "Started"],
		],
	);
	t.is(history.unreadableLines, 0);
});

test("a last line cut short by a crash (or still being written) is skipped, not fatal", (t) => {
	const whole = JSON.stringify(event({}));
	const cut = JSON.stringify(event({ status: "Applied" })).slice(0, 40);
	const history = parseSessionLog(`${whole}\n${cut}`);
	t.deepEqual(
		history.sessions.map((session) => session.status),
		["Requested"],
	);
	t.is(history.unreadableLines, 1);
});

test("session events with a status the reference does not have are not read", (t) => {
	const history = parseSessionLog(
		`${JSON.stringify(event({ status: "Quarantined" as never }))}\n${JSON.stringify({ ...event({}), direction: "upload", status: "Requested" })}\n`,
	);
	t.deepEqual(history.sessions, []);
	t.is(history.unreadableLines, 2);
});

test("a state file carries what its client waits for, or null; an older one or one of another shape still reads", (t) => {
	const waitingFor = {
		sequence: 2,
		since: "2026-11-26T08:05:00.000Z",
		reason: "package 2 not in the folder yet (package 3 is)",
	};
	const read = (extra: object) => {
		const parsed = parseClientState(JSON.stringify({ ...state, ...extra }));
		if (!parsed.ok) throw new Error(parsed.problem);
		return waitingForOf(parsed.state);
	};
	t.deepEqual(read({ waitingFor }), waitingFor);
	t.is(read({ waitingFor: null }), null);
	t.is(read({}), null);
	// A value of another shape is none: it must not hide the whole state.
	t.is(read({ waitingFor: { ...waitingFor, sequence: "2" } }), null);
});
