/** What a message in the status line is: a refusal, a caution, a done deed, or a hint. */
export type Tone = "error" | "warning" | "success" | "info";

/** Shows a one-line message in the shell's status line, as the screen that calls it. */
export type ShowStatus = (text: string, tone: Tone) => void;

export type StatusMessage = { text: string; tone: Tone };

/** How long a message stays when no key is pressed; refusals get longer to be read. */
export function messageLifetimeMs(tone: Tone): number {
	return tone === "error" || tone === "warning" ? 8000 : 4000;
}
