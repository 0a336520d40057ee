import { Box, Text } from "ink";
import { useState } from "react";
import type { CheckResult } from "../../domain/channel-database-checks.js";
import { countOf, displayText } from "../../domain/text.js";
import { type Color, useColor } from "../colors.js";
import { useActions } from "../hooks/use-actions.js";
import { type ActionId, keyName, useKeymap } from "../keymap.js";
import { useScreenReport } from "../screen-context.js";
import { wrappedLines } from "../scroll-window.js";

const resultActions: readonly ActionId[] = ["up", "down", "back"];

type Props = {
	title: string;
	/** Null while the checks run. */
	results: CheckResult[] | null;
	/** Why the checks could not run at all. */
	problem: string | null;
	height: number;
	width: number;
	/** False while an overlay has the keys. */
	isActive: boolean;
	onClose: () => void;
};

type Line = { text: string; color?: Color; dim?: boolean };

/** The lines `cdx channel-db test` prints: ✓ or ✗ per check, the fix under each ✗. */
function resultLines(results: CheckResult[]): Line[] {
	return results.flatMap((result): Line[] =>
		result.passed
			? [{ text: `✓ ${result.text}`, color: "green" }]
			: [
					{ text: `✗ ${result.text}`, color: "red" },
					{ text: `  fix: ${result.fix ?? "see the message"}`, dim: true },
				],
	);
}

/** The checks of a channel database, as the CLI shows them; ↑/↓ scroll, Esc closes. */
export function CheckResults({
	title,
	results,
	problem,
	height,
	width,
	isActive,
	onClose,
}: Props) {
	const color = useColor();
	const keymap = useKeymap();
	const [offset, setOffset] = useState(0);
	const lines: Line[] =
		problem !== null
			? [{ text: `✗ ${problem}`, color: "red" }]
			: results === null
				? [{ text: "Testing…", dim: true }]
				: resultLines(results);
	// Border, title, the summary line; text wraps inside border and padding.
	const budget = Math.max(1, height - 4);
	const textWidth = Math.max(1, width - 4);
	const start = Math.max(0, Math.min(offset, lines.length - 1));
	let end = start;
	for (let used = 0; end < lines.length; end += 1) {
		used += wrappedLines(lines[end]?.text ?? "", textWidth);
		if (used > budget && end > start) break;
	}
	const below = lines.length - end;
	useScreenReport({ title, actions: resultActions }, isActive);
	useActions(
		resultActions,
		{
			up: () => setOffset(Math.max(0, start - 1)),
			down: () => setOffset(below > 0 ? start + 1 : start),
			back: onClose,
		},
		isActive,
	);
	const failed = results?.filter((result) => !result.passed).length ?? 0;
	const summary =
		results === null
			? ""
			: failed === 0
				? "All checks passed."
				: `${countOf(failed, "check")} failed.`;
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold>{displayText(title)}</Text>
			{lines.slice(start, end).map((line, index) => (
				<Text
					// biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
					key={start + index}
					wrap="wrap"
					dimColor={line.dim ?? false}
					{...(line.color ? { color: color(line.color) } : {})}
				>
					{displayText(line.text)}
				</Text>
			))}
			<Text dimColor>
				{start > 0
					? `▲ ${countOf(start, "line")} (${keyName(keymap.up)}) · `
					: ""}
				{below > 0
					? `▼ ${countOf(below, "more line")} (${keyName(keymap.down)}) · `
					: ""}
				{summary} {keyName(keymap.back)} closes
			</Text>
		</Box>
	);
}
