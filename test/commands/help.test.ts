import test from "ava";
import { buildCdxIfMissing, runCdx } from "../helpers/cdx.js";
import { assertSucceeded } from "../helpers/cli-assertions.js";

test.before(() => {
	buildCdxIfMissing();
});

const commands = [
	"tui",
	"profile",
	"working-folders",
	"data-group",
	"channel-db",
	"parameters",
	"export",
	"import",
	"status",
	"client",
	"package",
	"demo",
];

test("cdx --help lists every command", (t) => {
	const run = runCdx(["--help"]);
	assertSucceeded(t, run);
	for (const command of commands)
		t.regex(run.stdout, new RegExp(`^  ${command}\\b`, "m"), command);
});

for (const command of commands) {
	test(`cdx ${command} --help prints its usage and exits 0`, (t) => {
		const run = runCdx([command, "--help"]);
		assertSucceeded(t, run);
		t.regex(run.stdout, /^Usage: cdx /);
	});
}

for (const command of [
	"working-folders",
	"data-group",
	"channel-db",
	"parameters",
]) {
	test(`cdx ${command} without a subcommand prints its usage and exits 2`, (t) => {
		const run = runCdx([command]);
		t.is(run.status, 2);
		t.regex(run.stdout, new RegExp(`^Usage: cdx ${command} `));
	});
}
