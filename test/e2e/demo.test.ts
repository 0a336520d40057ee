import test from "ava";
import { assertSucceeded } from "../helpers/cli-assertions.js";
import { startsClientProcesses } from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import type { ClientSetup } from "../helpers/client-setup.js";
import { makeTempDatabasePath } from "../helpers/database.js";
import { demo } from "../helpers/demo.js";
import { cdxInTerminal } from "../helpers/tmux.js";

startsClientProcesses(test);

test("at 80×24 the first look after cdx demo and its two clients is a live panel of two running clients", async (t) => {
	const db = await makeTempDatabasePath();
	assertSucceeded(t, demo(db));
	// The helpers read only the database path of a set-up.
	const setup = { db } as ClientSetup;
	for (const name of ["DEMO-STORE-1", "DEMO-STORE-2"]) {
		await startIdleClient(t, setup, name);
	}
	const terminal = await cdxInTerminal(t, db);
	await terminal.waitFor(/─ Async Clients · 2 channel databases/);
	await terminal.waitFor(/^DEMO-STORE-1 +running +\w{3} \d\d:\d\d/m);
	await terminal.waitFor(/^DEMO-STORE-2 +running +\w{3} \d\d:\d\d/m);
	// No expected (≈) times and no hint to start a client: both are live.
	t.false(terminal.screen().includes("≈"), terminal.screen());
});
