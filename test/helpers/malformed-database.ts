import { readdir } from "node:fs/promises";
import { dirname } from "node:path";
import test from "ava";
import { runCdx } from "./cdx.js";
import { readBytes, writeTempDatabase } from "./database.js";
import { terminalControls } from "./terminal-text.js";

/** A db.json no cdx-scheduler wrote, and what the one line refusing it says. */
export type MalformedDatabase = {
	what: string;
	text: () => string;
	says: RegExp;
};

/** A test: every command refuses the file in one short, inert line naming it, and nothing on disk changes. */
export function refusedByEveryCommand({
	what,
	text,
	says,
}: MalformedDatabase): void {
	test(`db.json that is ${what}: every command refuses it in one line naming the file, and nothing on disk changes`, async (t) => {
		const body = text();
		const path = await writeTempDatabase(body);
		const before = await readBytes(path);
		const commands = [
			["profile", "list"],
			["profile", "add", "NEW", "--download", "5", "--upload", "5"],
			["status", "--json"],
			["export"],
		];
		const runs = commands.map((args) => runCdx([...args, "--db", path]));
		for (const [index, run] of runs.entries()) {
			const command = commands[index]?.join(" ");
			t.is(run.status, 1, `${command}: ${run.stderr}`);
			t.is(run.stdout, "", command);
			t.regex(run.stderr, /^cdx: [^\n]*\n$/, `${command}: one line`);
			t.true(run.stderr.startsWith(`cdx: ${path}: `), command);
			t.regex(run.stderr, says, command);
			t.true(run.stderr.length < 400, `${command}: a short line`);
			t.deepEqual(terminalControls(run.stderr), [], command);
		}
		t.true((await readBytes(path)).equals(before), "byte-identical");
		t.deepEqual(await readdir(dirname(path)), ["db.json"], "no file added");
		t.log(
			`${(body.length / 1024 / 1024).toFixed(1)} MB: ${runs[0]?.stderr.trim().slice(0, 160)}`,
		);
	});
}
