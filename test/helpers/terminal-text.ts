/**
 * Characters a terminal acts on, except the newlines that end lines: C0
 * controls (ESC, BEL, …), DEL, C1 controls (the 8-bit CSI \u009B) and the
 * bidirectional controls that reorder a line. None may reach a terminal
 * from data.
 */
export function terminalControls(text: string): string[] {
	return [...text].filter((character) => {
		const code = character.codePointAt(0) ?? 0;
		return (
			(code < 0x20 && code !== 0x0a) ||
			(code >= 0x7f && code <= 0x9f) ||
			code === 0x061c ||
			code === 0x200e ||
			code === 0x200f ||
			(code >= 0x202a && code <= 0x202e) ||
			(code >= 0x2066 && code <= 0x2069)
		);
	});
}

const esc = "\u001B";
const bel = "\u0007";

/** Ways text in a record could act on a terminal that prints it raw, by name. */
export const hostileTexts = {
	/** Clears the screen and homes the cursor. */
	csi: `${esc}[2J${esc}[H`,
	/** Sets the clipboard to "Hello". */
	osc52: `${esc}]52;c;SGVsbG8=${bel}`,
	/** Sets the terminal (window) title. */
	title: `${esc}]0;owned${bel}`,
	/** Moves the cursor up and right, to write over earlier lines. */
	cursor: `${esc}[5A${esc}[20C`,
	bel,
	/** The 8-bit CSI: red text on terminals that read C1 controls. */
	c1: "\u009B31m",
	/** Right-to-left override: "evil.exe" shows as "exe.live". */
	bidi: "\u202Eexe.live\u202C",
} as const;

/** Every hostile text in one string, with a readable word between them. */
export const allHostile = Object.values(hostileTexts).join("x");
