import type { Tone } from "../domain/status-table.js";
import { useColor } from "./colors.js";

type ToneStyle = { color?: string; dimColor?: boolean };

/**
 * Ink text props for a cell's tone, with colours only when they are on
 * (NO_COLOR turns them off; dim stays). The words say the same, so nothing
 * is lost without colour.
 */
export function useToneStyle(): (tone: Tone) => ToneStyle {
	const color = useColor();
	return (tone) => {
		switch (tone) {
			case "failure":
				return { color: color("red") };
			case "warning":
				return { color: color("yellow") };
			case "good":
				return { color: color("green") };
			case "expected":
				return { dimColor: true };
			case "plain":
				return {};
			default: {
				const never: never = tone;
				return never;
			}
		}
	};
}
