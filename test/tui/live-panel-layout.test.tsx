import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { addStore, panelApp } from "../helpers/panel-app.js";
import { keys, type RenderedApp } from "../helpers/render-app.js";
import { withoutStyles } from "../helpers/sgr.js";

/** The frame's lines as a person reads them. */
const linesOf = (app: RenderedApp) => withoutStyles(app.screen()).split("\n");

/** The seeded store with STORE-02 … STORE-30 besides STORE-1, at `columns`×`rows`. */
async function thirtyClients(
	t: ExecutionContext,
	columns: number,
	rows: number,
) {
	const { app, path } = await panelApp(t);
	for (let number = 2; number <= 30; number += 1)
		await addStore(path, `STORE-${String(number).padStart(2, "0")}`);
	await app.resize(columns, rows);
	await app.waitFor("30 channel databases");
	return app;
}

const clientRows = (app: RenderedApp) =>
	linesOf(app).filter((line) => /^STORE-\d+\s+not started/.test(line)).length;

/** The frame fills the terminal less Ink's one line, and ends with the footer: no blank rows under it. */
function footerEndsTheFrame(
	t: ExecutionContext,
	app: RenderedApp,
	rows: number,
) {
	const lines = linesOf(app);
	t.is(lines.length, rows - 1);
	t.regex(lines.at(-1) ?? "", /\S+ help\b/);
}

test.serial(
	"at 80×24 one client's panel takes only its own lines, the navigation the rest, and the footer ends the frame",
	async (t) => {
		const { app } = await panelApp(t);
		await app.resize(80, 24);
		await app.waitFor("STORE-1");
		footerEndsTheFrame(t, app, 24);
		const lines = linesOf(app);
		// The whole tree shows; the panel (title, header, row, note) sits on the status line.
		t.true(lines.some((line) => line.includes("Upload sessions")));
		t.regex(lines.at(-3) ?? "", /^≈ expected times, no client running/);
		t.regex(lines.at(-4) ?? "", /^STORE-1\s+not started/);
		t.regex(lines.at(-6) ?? "", /^─ Async Clients · 1 channel database/);
	},
);

test.serial(
	"at 80×24 with 30 clients the navigation keeps its Setup forms in view and the panel says how many more there are",
	async (t) => {
		const app = await thirtyClients(t, 80, 24);
		await app.waitFor("23 more (p to scroll)");
		footerEndsTheFrame(t, app, 24);
		t.is(clientRows(app), 7);
		// The tree keeps its first folder whole, the description beside it.
		const lines = linesOf(app);
		t.regex(lines[1] ?? "", /^▾ Retail\s+Enter opens/);
		t.regex(lines[10] ?? "", /^\s+• Retail scheduler parameters/);
		t.regex(lines[11] ?? "", /^─ Async Clients/);
	},
);

test.serial(
	"at 100×40 the same panel takes the extra lines: 23 clients and 7 more",
	async (t) => {
		const app = await thirtyClients(t, 100, 40);
		await app.waitFor("7 more (p to scroll)");
		footerEndsTheFrame(t, app, 40);
		t.is(clientRows(app), 23);
	},
);

test.serial(
	"a list of one record leaves the panel the rest; a form keeps all its fields and preview, the panel shrinks",
	async (t) => {
		const app = await thirtyClients(t, 80, 24);
		await app.press(":");
		await app.type("async server");
		await app.press(keys.enter);
		await app.waitFor("16 more (p to scroll)");
		footerEndsTheFrame(t, app, 24);
		t.is(clientRows(app), 14);
		await app.press(keys.enter);
		await app.waitFor("Next uploads (UTC)");
		await app.waitFor("27 more (p to scroll)");
		footerEndsTheFrame(t, app, 24);
		const form = withoutStyles(app.screen());
		t.false(form.includes("more field"));
		t.regex(form, /Time zone\s+UTC/);
		t.is(clientRows(app), 3);
	},
);

/** The first frame written since frame `from` that `shows`, as a person reads it. */
function firstFrameShowing(app: RenderedApp, from: number, shows: RegExp) {
	const frame = app.frames
		.slice(from)
		.map(withoutStyles)
		.find((text) => shows.test(text));
	if (frame === undefined) throw new Error(`no frame shows ${shows}`);
	return frame;
}

/** A frame but its status line (a message the screen shows as it opens comes a frame later). */
const withoutStatusLine = (frame: string) =>
	frame.split("\n").filter((_, index, lines) => index !== lines.length - 2);

/** The first frame after `press` showing `shows` is laid out as the frames after it: nothing moves once it settles. */
async function firstFrameSettled(
	t: ExecutionContext,
	app: RenderedApp,
	press: () => Promise<void>,
	shows: RegExp,
) {
	const from = app.frames.length;
	await press();
	const first = firstFrameShowing(app, from, shows);
	await app.settle();
	t.deepEqual(
		withoutStatusLine(first),
		withoutStatusLine(withoutStyles(app.screen())),
	);
	return first;
}

test.serial(
	"at 80×24 with 30 clients the very first frame of a newly opened list, of its form and of the parameters is laid out for that screen's own minimum",
	async (t) => {
		const app = await thirtyClients(t, 80, 24);
		await app.waitFor("23 more (p to scroll)");
		await app.press(":");
		await app.type("async server");
		// A list of one record needs 3 lines: the panel has the other 17 at once.
		const list = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.enter),
			/1 record · sorted by Name/,
		);
		t.true(list.includes("16 more (p to scroll)"));
		// The profile form needs every field and its preview: the panel keeps 3 lines.
		const form = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.enter),
			/Edit Async Server profile/,
		);
		t.regex(form, /Time zone\s+UTC/);
		t.true(form.includes("Next uploads (UTC)"));
		t.false(form.includes("more field"));
		t.true(form.includes("27 more (p to scroll)"));
		// Back on the list, as it was left: the panel has its 17 lines again at once.
		const listAgain = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.escape),
			/1 record · sorted by Name/,
		);
		t.true(listAgain.includes("16 more (p to scroll)"));
		await app.press(keys.escape);
		await app.press(":");
		await app.type("parameters");
		const parameters = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.enter),
			/Retail scheduler parameters\n/,
		);
		t.false(parameters.includes("more field"));
	},
);

test.serial(
	"at 80×24 with 30 clients the first frame of a followed link's list and of the form it came back to are laid out for their own minimum",
	async (t) => {
		const app = await thirtyClients(t, 80, 24);
		await app.press(":");
		await app.type("channel database");
		await app.press(keys.enter);
		await app.waitFor("30 records");
		const form = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.enter),
			/Edit Channel database/,
		);
		await app.press(keys.tab, keys.tab, keys.tab, keys.tab);
		await app.waitFor(/› Async Server profile/);
		const followed = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.ctrlG),
			/1 record · sorted by Name/,
		);
		t.true(followed.includes("16 more (p to scroll)"));
		const back = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.escape),
			/Edit Channel database/,
		);
		t.deepEqual(
			back.split("\n").filter((line) => /^STORE-\d+\s/.test(line)),
			form.split("\n").filter((line) => /^STORE-\d+\s/.test(line)),
		);
	},
);

test.serial(
	"at 80×24 with 30 clients the first frame of a session's detail is laid out for the detail's own minimum",
	async (t) => {
		const { app, path } = await panelApp(t);
		for (let number = 2; number <= 30; number += 1)
			await addStore(path, `STORE-${String(number).padStart(2, "0")}`);
		const log = join(dirname(path), "state", "STORE-1.sessions.jsonl");
		await mkdir(dirname(log), { recursive: true });
		await writeFile(
			log,
			`${JSON.stringify({
				id: "download:1",
				direction: "download",
				package: "/srv/cdx/download/DG1/0000000001.package.json",
				sequence: 1,
				tries: 1,
				rows: 10,
				status: "Applied",
				startedAt: "2026-11-26T08:00:00.000Z",
				finishedAt: "2026-11-26T08:00:01.000Z",
				error: null,
				at: "2026-11-26T08:00:01.000Z",
			})}\n`,
		);
		await app.resize(80, 24);
		await app.press(":");
		await app.type("download sessions");
		await app.press(keys.enter);
		await app.waitFor(/STORE-1\s+Applied/);
		const detail = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.enter),
			/download session/i,
		);
		t.true(detail.includes("23 more (p to scroll)"));
		const list = await firstFrameSettled(
			t,
			app,
			() => app.press(keys.escape),
			/1 record · sorted by Started/,
		);
		t.true(list.includes("16 more (p to scroll)"));
	},
);
