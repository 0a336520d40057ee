import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import type { SessionEvent } from "../../source/domain/session-events.js";
import { clientState, panelApp } from "../helpers/panel-app.js";
import { keys } from "../helpers/render-app.js";
import { withoutStyles } from "../helpers/sgr.js";

/** Download sessions #1 … #count, one a minute from 07:00, #count the newest. */
function sessions(count: number): SessionEvent[] {
	return Array.from({ length: count }, (_, index) => {
		const startedAt = new Date(
			Date.parse("2026-11-26T07:00:00Z") + index * 60_000,
		);
		return {
			id: `download:DG1:${index + 1}:0`,
			direction: "download",
			status: "Applied",
			package: `/srv/cdx/download/DG1/${String(index + 1).padStart(10, "0")}.package.json`,
			sequence: index + 1,
			tries: 1,
			rows: (index + 1) * 100,
			startedAt: startedAt.toISOString(),
			finishedAt: new Date(startedAt.getTime() + 2000).toISOString(),
			error: null,
			at: new Date(startedAt.getTime() + 2000).toISOString(),
		};
	});
}

test.serial(
	"at 80×24 the detail view scrolls to every one of 20 sessions and back, with markers saying how many more; Esc returns with the same client",
	async (t) => {
		const { app, path } = await panelApp(t, {
			state: clientState({
				channelStore: {
					engine: "sqlite",
					location: "/srv/cdx/channels/STORE-1/channel-database.sqlite",
					watermarks: { DG1: 20 },
				},
			}),
		});
		await writeFile(
			join(dirname(path), "state", "STORE-1.sessions.jsonl"),
			`${sessions(20)
				.map((session) => JSON.stringify(session))
				.join("\n")}\n`,
		);
		await app.resize(80, 24);
		await app.waitFor(/STORE-1\s+running/);
		await app.press("p", keys.enter);
		await app.waitFor("Last sessions (20 shown, newest first)");
		const shown = () => withoutStyles(app.screen());
		t.true(shown().includes("Next downloads"));
		t.regex(shown(), /▼ \d+ more below \(↓\/PgDn\)/);
		t.false(shown().includes("#1 "));
		await app.press(keys.pageDown);
		await app.waitFor(/▲ \d+ more above \(↑\/PgUp\)/);
		t.false(shown().includes("Next downloads"));
		await app.press(keys.pageDown, keys.pageDown);
		// The oldest session is the last line; nothing is below it.
		await app.waitFor(/#1 +100 rows/);
		t.notRegex(shown(), /more below/);
		await app.press(keys.up);
		await app.waitFor(/▼ 1 more below/);
		await app.press(keys.pageUp, keys.pageUp, keys.pageUp);
		await app.waitFor("Next downloads");
		t.notRegex(shown(), /more above/);
		await app.press(keys.escape);
		await app.waitFor("selected STORE-1");
		t.false(shown().includes("Next downloads"));
	},
);
