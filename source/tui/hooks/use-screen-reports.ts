import { useMemo, useRef, useState } from "react";
import {
	type ScreenChannel,
	type ScreenReport,
	sameReport,
} from "../screen-context.js";

/**
 * The channel the shell gives its screens to tell it their keys, and what
 * they told it: the last report (for the footer and the help) and the open
 * form's own minimum, from its latest report that gave one.
 */
export function useScreenReports(initialMinimum: number): {
	channel: ScreenChannel;
	screenReport: ScreenReport | null;
	formMinimum: number;
} {
	const [screenReport, setReport] = useState<ScreenReport | null>(null);
	const [formMinimum, setFormMinimum] = useState(initialMinimum);
	const latest = useRef<ScreenReport | null>(null);
	const channel = useMemo(
		() => ({
			latest,
			unsaved: new Set<string>(),
			// Screens report again whenever they render new keys; an equal report changes nothing.
			show: (next: ScreenReport) => {
				setReport((before) =>
					before && sameReport(before, next) ? before : next,
				);
				if (next.minimumRows !== undefined) setFormMinimum(next.minimumRows);
			},
			opening: setFormMinimum,
		}),
		[],
	);
	return { channel, screenReport, formMinimum };
}
