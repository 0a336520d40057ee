import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import test from "ava";
import { runCdx } from "../helpers/cdx.js";
import {
	runNow,
	startsClientProcesses,
	stopClient,
	waitForState,
} from "../helpers/client-processes.js";
import { startIdleClient } from "../helpers/client-session.js";
import {
	createPackage,
	makeClientSetup,
	writeOutbox,
} from "../helpers/client-setup.js";

startsClientProcesses(test);

// makeClientSetup gives channel database STORE1 the password "secret for STORE1".
const password = "secret for STORE1";

/** Every file under `folder` with its text, for grepping. */
async function texts(folder: string): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (const entry of await readdir(folder, {
		recursive: true,
		withFileTypes: true,
	})) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		found.set(path, await readFile(path, "latin1"));
	}
	return found;
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

test("a whole exchange never shows the plain password: log, state, sessions, packages, --json, export, status, errors", async (t) => {
	const setup = await makeClientSetup();
	const log = join(setup.root, "client.log");
	const { client } = await startIdleClient(t, setup, "STORE1", ["--log", log]);
	await createPackage(setup, { PRICES: [{ key: "A", price: 1 }] });
	await runNow(setup, "STORE1", "download");
	await writeOutbox(setup, "STORE1", "sale.json", {
		SALES: [{ key: "T1", amount: 5 }],
	});
	await runNow(setup, "STORE1", "upload");
	await writeFile(setup.db, "{ broken for a moment");
	// The client reports the broken file in its state: its message is searched too.
	await waitForState(
		setup,
		"STORE1",
		(state) => state.configProblem !== null,
		"the client to report the broken db.json",
	);
	await writeFile(
		setup.db,
		JSON.stringify(setup.store.getSnapshot().configuration, null, "\t"),
	);

	const db = ["--db", setup.db];
	const outputs = [
		["status"],
		["status", "--json"],
		["export"],
		["channel-db", "list"],
		["channel-db", "list", "--json"],
		["channel-db", "show", "STORE1"],
		["channel-db", "show", "STORE1", "--json"],
		["channel-db", "full-sync", "STORE1", "--json"],
		["package", "list", "--json"],
		// Refusals that involve the password: none may echo it.
		["channel-db", "set", "STORE1", "--password", password],
		["channel-db", "set", "STORE1", `--password=${password}`],
	].map((args) => ({
		what: args.join(" "),
		run: runCdx([...args, ...db]),
	}));
	const badPasswords = [
		` ${password} `,
		`${password}\u0007`,
		password.repeat(10),
	];
	for (const typed of badPasswords) {
		const run = runCdx(
			["channel-db", "set", "STORE1", "--password-stdin", ...db],
			{ input: `${typed}\n` },
		);
		t.is(run.status, 2, run.stderr);
		outputs.push({
			what: "channel-db set with a refused password",
			run,
		});
	}
	t.is((await stopClient(client)).code, 0);

	for (const { what, run } of outputs) {
		t.false(run.stdout.includes(password), `${what}: stdout`);
		t.false(run.stderr.includes("secret for"), `${what}: stderr`);
	}
	t.false(client.stderr().includes(password), "client stderr");
	const files = await texts(setup.root);
	for (const [path, text] of files)
		t.false(
			text.includes(password),
			`${path} holds the password in plain text`,
		);
	t.true(
		files.has(log) && (files.get(log)?.length ?? 0) > 0,
		"the log was written",
	);
	t.log(
		`${outputs.length} command outputs and ${files.size} files (log, state, sessions, packages, db.json) searched: the plain password appears in none`,
	);

	// Private files: the database and the client's state are for this user alone.
	const state = join(setup.root, "state");
	t.is(await mode(dirname(setup.db)), 0o700);
	t.is(await mode(setup.db), 0o600);
	t.is(await mode(join(setup.root, "secret.key")), 0o600);
	t.is(await mode(state), 0o700);
	for (const name of await readdir(state))
		t.is(await mode(join(state, name)), 0o600, name);
	t.is(await mode(log), 0o600);
});
