/**
 * The most lines a frame may take on a terminal of `rows` lines: one less.
 * Once its last frame was as tall as the terminal, Ink 6.8 clears the whole
 * terminal and writes everything again on every render (README.md here).
 */
export function frameHeightFor(rows: number): number {
	return Math.max(1, rows - 1);
}
