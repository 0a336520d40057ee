import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import test from "ava";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { buildCdxIfMissing, runCdx, spawnCdx } from "../helpers/cdx.js";
import {
	makeTempDatabasePath,
	seedChannelIntegration,
} from "../helpers/database.js";
import { waitUntil } from "../helpers/wait.js";

test.before(() => {
	buildCdxIfMissing();
});

async function seeded(): Promise<string> {
	const path = await makeTempDatabasePath();
	await seedChannelIntegration(await ConfigurationStore.open(path));
	return path;
}

test("cdx status prints the live panel's table with its column words, and marks expected times", async (t) => {
	const path = await seeded();
	const run = runCdx(["status", "--db", path]);
	t.is(run.status, 0, run.stderr);
	const [header, row, ...notes] = run.stdout.trimEnd().split("\n");
	// Not a terminal: every column, none hidden.
	t.regex(
		header ?? "",
		/^CHANNEL DB\s+STATUS\s+NEXT DOWNLOAD\s+LEFT\s+NEXT UPLOAD\s+LEFT\s+LAST DOWNLOAD\s+LAST UPLOAD$/,
	);
	t.regex(
		row ?? "",
		/^STORE-1\s+not started\s+≈\w{3} \d\d:\d\d\s+≈\S+\s+≈\w{3} \d\d:\d\d\s+≈\S+( \S+)?\s+—\s+—$/,
	);
	t.true(
		notes.includes(
			"≈ expected times: no client running for that channel database",
		),
	);
});

test("cdx status says crashed for a client whose process is gone without a clean stop, and --json carries it", async (t) => {
	const path = await seeded();
	const stateFolder = join(dirname(path), "state");
	await mkdir(stateFolder, { recursive: true });
	const now = new Date().toISOString();
	await writeFile(
		join(stateFolder, "STORE-1.json"),
		JSON.stringify({
			formatVersion: 1,
			// No process has this pid: the kernel's pid_max is far below it.
			pid: 2 ** 30,
			host: hostname(),
			startedAt: now,
			heartbeatAt: now,
			stoppedAt: null,
			channelDatabase: "STORE-1",
			profile: "P1",
			dataGroup: "DG1",
			nextDownloadAt: now,
			nextUploadAt: now,
			currentRun: null,
			lastDownload: null,
			lastUpload: null,
			configProblem: null,
			scheduleChangedAt: now,
			waitingFor: null,
		}),
	);
	const plain = runCdx(["status", "--db", path]);
	t.regex(plain.stdout, /^STORE-1\s+✗ crashed/m);
	t.regex(
		plain.stdout,
		/^STORE-1: the client is gone without a clean stop; start it again: cdx client --channel-db STORE-1$/m,
	);
	const json = JSON.parse(runCdx(["status", "--json", "--db", path]).stdout);
	t.like(json[0], {
		channelDatabase: "STORE-1",
		status: "crashed",
		live: false,
		waitingFor: null,
		client: { pid: 2 ** 30, host: hostname() },
	});
});

test("cdx status --watch into a pipe prints a new table each refresh, never screen controls", async (t) => {
	const path = await seeded();
	const child = spawnCdx(["status", "--watch", "--db", path]);
	t.teardown(() => child.kill("SIGKILL"));
	let stdout = "";
	child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
		stdout += chunk;
	});
	await waitUntil(
		() => stdout.split("CHANNEL DB").length > 2,
		"a second table",
	);
	child.kill("SIGINT");
	t.false(stdout.includes("\u001B"), "no escape sequences into a pipe");
	t.regex(stdout, /^STORE-1\s+not started/m);
});
