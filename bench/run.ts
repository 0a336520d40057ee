import { execFileSync, spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { Figure, MeasurementResult } from "./lib/measurement.js";
import { projectRoot } from "./lib/paths.js";

/** One file per measurement, each run in its own process, in this order. */
const measurements: { id: string; file: string; nodeOptions?: string[] }[] = [
	{ id: "startup", file: "startup.ts" },
	{
		id: "keypress",
		file: "keypress.tsx",
		nodeOptions: ["--import=./bench/lib/with-ink-swaps.mjs"],
	},
	{ id: "save", file: "save.ts" },
	{ id: "edit-to-panel", file: "edit-to-panel.ts" },
	{ id: "recovery", file: "recovery.ts" },
	{ id: "idle", file: "idle.ts" },
	{ id: "terminal-bytes", file: "terminal-bytes.ts" },
	{ id: "paste", file: "paste.ts" },
	{ id: "frame-bytes", file: "frame-bytes.tsx" },
	{ id: "schedule-accuracy", file: "schedule-accuracy.ts" },
	{ id: "memory", file: "memory.ts", nodeOptions: ["--expose-gc"] },
	{ id: "throughput", file: "throughput.ts" },
	{ id: "postgres-apply", file: "postgres-apply.ts" },
	{ id: "upload", file: "upload.ts" },
	{ id: "table-memory", file: "table-memory.ts" },
];

type Outcome =
	| (MeasurementResult & { seconds: number })
	| { id: string; error: string; seconds: number };

function run(
	measurement: (typeof measurements)[number],
	resultFile: string,
): Promise<{ code: number | null; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(
			process.execPath,
			[
				"--import=tsx",
				...(measurement.nodeOptions ?? []),
				join(projectRoot, "bench", measurement.file),
			],
			{
				cwd: projectRoot,
				env: { ...process.env, BENCH_RESULT: resultFile },
				stdio: ["ignore", "ignore", "pipe"],
			},
		);
		let stderr = "";
		child.stderr.setEncoding("utf8");
		child.stderr.on("data", (chunk: string) => {
			stderr += chunk;
			process.stderr.write(chunk);
		});
		child.on("close", (code) => resolve({ code, stderr }));
	});
}

function machine() {
	const cpu = cpus();
	let commit = "unknown";
	try {
		commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
			cwd: projectRoot,
			encoding: "utf8",
		}).trim();
		const dirty =
			execFileSync(
				"git",
				["status", "--porcelain", "--", "source", "package.json"],
				{
					cwd: projectRoot,
					encoding: "utf8",
				},
			).trim() !== "";
		if (dirty) commit += " + uncommitted changes";
	} catch {
		// Not a git checkout.
	}
	return {
		cpu: cpu[0]?.model ?? "unknown",
		cores: cpu.length,
		memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		os: `${process.platform} ${release()}`,
		commit,
	};
}

const show = (value: number, unit: string) =>
	`${value.toLocaleString("en", { maximumFractionDigits: 2 })} ${unit}`;

function line(figure: Figure): string {
	const verdict = figure.pass === null ? "    " : figure.pass ? "MET " : "MISS";
	const baseline = figure.baseline
		? `  vs ${figure.baseline.name} ${show(figure.baseline.value, figure.unit)} (×${figure.ratio})`
		: "";
	const target = figure.target ? `  target ${figure.target}` : "";
	return `  ${verdict} ${figure.name}: ${show(figure.value, figure.unit)}${baseline}${target}`;
}

async function main(): Promise<number> {
	const wanted = process.argv.slice(2);
	const chosen =
		wanted.length === 0
			? measurements
			: measurements.filter((measurement) => wanted.includes(measurement.id));
	if (chosen.length === 0) {
		process.stderr.write(
			`no such measurement: ${wanted.join(", ")} (there are ${measurements.map((m) => m.id).join(", ")})\n`,
		);
		return 2;
	}
	const startedAt = new Date().toISOString();
	const loadBefore = loadavg();
	const outcomes: Outcome[] = [];
	for (const measurement of chosen) {
		process.stderr.write(`▶ ${measurement.id}\n`);
		const resultFile = join(
			tmpdir(),
			`cdx-bench-${process.pid}-${measurement.id}.json`,
		);
		const started = performance.now();
		const { code, stderr } = await run(measurement, resultFile);
		const seconds = Math.round((performance.now() - started) / 100) / 10;
		try {
			if (code !== 0) throw new Error(`exited with ${code}`);
			const result = JSON.parse(
				await readFile(resultFile, "utf8"),
			) as MeasurementResult;
			outcomes.push({ ...result, seconds });
		} catch (error) {
			const last = stderr.trim().split("\n").slice(-12).join("\n");
			outcomes.push({
				id: measurement.id,
				error: `${(error as Error).message}${last ? `\n${last}` : ""}`,
				seconds,
			});
		} finally {
			await rm(resultFile, { force: true });
		}
	}
	const figures = outcomes.flatMap((outcome) =>
		"figures" in outcome ? outcome.figures : [],
	);
	const summary = {
		targets: figures.filter((figure) => figure.pass !== null).length,
		met: figures.filter((figure) => figure.pass === true).length,
		missed: figures
			.filter((figure) => figure.pass === false)
			.map((figure) => figure.name),
		crashed: outcomes
			.filter((outcome) => "error" in outcome)
			.map((outcome) => outcome.id),
	};
	const results = {
		command: `npm run bench${wanted.length > 0 ? ` -- ${wanted.join(" ")}` : ""}`,
		machine: machine(),
		startedAt,
		finishedAt: new Date().toISOString(),
		// Other work on the machine moves absolute times; each figure's baseline ran in the same invocation.
		loadAverage: { before: loadBefore, after: loadavg() },
		summary,
		measurements: outcomes,
	};
	await writeFile(
		join(projectRoot, "bench", "results.json"),
		`${JSON.stringify(results, null, "\t")}\n`,
	);

	const { cpu, cores, node } = results.machine;
	const out = [
		"",
		`cdx-scheduler benchmarks: ${cpu}, ${cores} cores, Node ${node}, load ${loadBefore.map((load) => load.toFixed(1)).join(" ")}`,
	];
	for (const outcome of outcomes) {
		if ("error" in outcome) {
			out.push(
				`\n✗ ${outcome.id} crashed (${outcome.seconds} s):`,
				outcome.error,
			);
			continue;
		}
		out.push(`\n${outcome.title} (${outcome.seconds} s)`);
		out.push(...outcome.figures.map(line));
		for (const note of outcome.notes) out.push(`  note: ${note}`);
	}
	out.push(
		"",
		`${summary.met} of ${summary.targets} targets met${summary.missed.length > 0 ? `; missed: ${summary.missed.join(", ")}` : ""}${summary.crashed.length > 0 ? `; crashed: ${summary.crashed.join(", ")}` : ""}`,
		"Figures and machine: bench/results.json",
		"",
	);
	process.stdout.write(out.join("\n"));
	// A missed target is a finding, not a failure; a measurement that crashed is.
	return summary.crashed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
