import type { Tone } from "../domain/status-table.js";

/** https://no-color.org: when NO_COLOR is set and not empty, no colour at all (dim and bold stay). */
export function coloursAllowed(): boolean {
	return !process.env.NO_COLOR;
}

type ToneStyle = { color?: string; dimColor?: boolean };

const colours: Record<Tone, ToneStyle> = {
	failure: { color: "red" },
	warning: { color: "yellow" },
	expected: { dimColor: true },
	good: { color: "green" },
	plain: {},
};

/** Ink text props for a tone. The words say the same, so nothing is lost without colour. */
export function toneStyle(tone: Tone): ToneStyle {
	if (coloursAllowed()) return colours[tone];
	return tone === "expected" ? { dimColor: true } : {};
}
