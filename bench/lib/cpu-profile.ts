import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

type ProfileNode = {
	id: number;
	callFrame: {
		functionName: string;
		url: string;
		lineNumber: number;
		columnNumber: number;
	};
	children?: number[];
};

type CpuProfile = {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
};

export type ProfileFrame = {
	/** "function file:line", the file shortened to what follows the project root. */
	frame: string;
	selfMs: number;
	/** Share of all samples, idle excluded. */
	selfShare: number;
};

export type ProfileSummary = {
	totalMs: number;
	busyMs: number;
	topSelf: ProfileFrame[];
	/** Self time summed by file (bundle or module), busiest first. */
	byFile: { file: string; selfMs: number }[];
};

function shortUrl(url: string): string {
	const trimmed = url.replace(/^file:\/\//, "");
	const marker = trimmed.lastIndexOf("/node_modules/");
	if (marker >= 0) return trimmed.slice(marker + 1);
	const project = trimmed.indexOf("/source/");
	if (project >= 0) return trimmed.slice(project + 1);
	const dist = trimmed.indexOf("/dist/");
	return dist >= 0 ? trimmed.slice(dist + 1) : trimmed || "(native)";
}

/** Self time per frame of a .cpuprofile written by `node --cpu-prof`. */
export function summariseProfile(
	profile: CpuProfile,
	top = 12,
): ProfileSummary {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const selfUs = new Map<number, number>();
	profile.samples.forEach((id, index) => {
		selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
	});
	const frames = new Map<string, number>();
	const files = new Map<string, number>();
	let busyUs = 0;
	for (const [id, us] of selfUs) {
		const node = byId.get(id);
		if (!node) continue;
		const { functionName, url, lineNumber } = node.callFrame;
		if (functionName === "(idle)" || functionName === "(program)") continue;
		busyUs += us;
		const file = shortUrl(url);
		const name = `${functionName || "(anonymous)"} ${file}${url ? `:${lineNumber + 1}` : ""}`;
		frames.set(name, (frames.get(name) ?? 0) + us);
		files.set(file, (files.get(file) ?? 0) + us);
	}
	const sorted = [...frames].sort((a, b) => b[1] - a[1]).slice(0, top);
	return {
		totalMs: (profile.endTime - profile.startTime) / 1000,
		busyMs: busyUs / 1000,
		topSelf: sorted.map(([frame, us]) => ({
			frame,
			selfMs: Math.round(us / 100) / 10,
			selfShare: busyUs === 0 ? 0 : Math.round((us / busyUs) * 1000) / 1000,
		})),
		byFile: [...files]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 8)
			.map(([file, us]) => ({ file, selfMs: Math.round(us / 100) / 10 })),
	};
}

/** The newest .cpuprofile in `folder`, summarised. */
export async function summariseProfileIn(
	folder: string,
	top = 12,
): Promise<ProfileSummary | null> {
	const names = (await readdir(folder)).filter((name) =>
		name.endsWith(".cpuprofile"),
	);
	const newest = names.sort().at(-1);
	if (newest === undefined) return null;
	const profile = JSON.parse(
		await readFile(join(folder, newest), "utf8"),
	) as CpuProfile;
	return summariseProfile(profile, top);
}
