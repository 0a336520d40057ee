import "../helpers/force-colour.js";
import test from "ava";
import { runUploadCycle } from "../../source/client/upload-cycle.js";
import type { CurrentRun } from "../../source/domain/client-state.js";
import { makeClientSetup, writeOutbox } from "../helpers/client-setup.js";
import { FakeClock } from "../helpers/fake-clock.js";
import {
	clientState,
	panelApp,
	start,
	writeState,
} from "../helpers/panel-app.js";
import { publishedUpload, uploadContext } from "../helpers/upload-context.js";

test.serial(
	"an upload in progress counts its rows on the row as the client publishes them, with a bar where the width allows",
	async (t) => {
		const uploading = (done: number, total: number) =>
			clientState({
				currentRun: {
					direction: "upload",
					startedAt: "2026-11-26T08:06:58.000Z",
					step: "writing 0000000002.package.json",
					done,
					total,
					unit: "rows",
				},
			});
		const { app, path, clock, panel } = await panelApp(t, {
			state: uploading(0, 1200),
		});
		await app.waitFor(/STORE-1\s+↑ 1,200 rows ░{10}/);
		t.deepEqual(panel.styles("↑ 1,200 rows"), ["green"]);
		t.false(panel.text().includes("packages"));
		await writeState(path, uploading(1200, 2400));
		clock.advance(1000);
		await app.waitFor(/STORE-1\s+↑ 2,400 rows █{5}░{5}/);
		// 80 columns hide the last runs: the bar still fits beside the next times.
		await app.resize(80, 24);
		await app.waitFor(/STORE-1\s+↑ 2,400 rows █{5}░{5}\s+Thu 08:15/);
	},
);

test.serial(
	"a one-package upload's row count moves on the row while the client reads its rows from the channel database",
	async (t) => {
		const setup = await makeClientSetup();
		await writeOutbox(setup, "STORE1", "0001.json", {
			SALES: [1, 2, 3, 4, 5].map((n) => ({ key: `t${n}`, amount: n })),
		});
		const clientClock = new FakeClock(start);
		const { progress, published } = await publishedUpload(
			t,
			setup,
			clientClock,
		);
		const { app, path, clock } = await panelApp(t, { state: clientState() });
		// 80 columns: the last runs hidden, room for the bar beside the next times.
		await app.resize(80, 24);
		await app.waitFor(/STORE-1\s+running/);
		// The client's state file as the panel finds it for STORE-1.
		const shownOnPanel = async (run: CurrentRun | null) => {
			await writeState(path, clientState({ currentRun: run }));
			clock.advance(1000);
		};
		const counts: number[] = [];
		const result = await runUploadCycle(
			await uploadContext(setup, {
				pageRows: 2,
				now: clientClock.now,
				progress,
				checkpoint: async (step) => {
					if (step !== "rows-read") return;
					const run = await published();
					await shownOnPanel(run);
					// Nothing is written yet: the count of rows read, an empty bar.
					await app.waitFor(
						new RegExp(`STORE-1\\s+↑ ${run?.total} rows? ░{10}`),
					);
					counts.push(run?.total ?? 0);
					clientClock.jump(1000);
				},
			}),
		);
		t.like(result, { status: "Succeeded", packages: 1, rows: 5 });
		t.deepEqual(counts, [2, 4, 5]);
		await shownOnPanel(await published());
		await app.waitFor(/STORE-1\s+↑ 5 rows █{10}/);
	},
);
