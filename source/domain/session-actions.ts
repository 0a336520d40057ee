import type { SessionEvent } from "./session-events.js";

const failed = new Set([
	"Create failed",
	"Download failed",
	"Upload failed",
	"Apply failed",
]);
const waiting = new Set(["Started", "Available", "Requested", "Downloaded"]);

/** A failed session can be tried again (its tries start over). */
export function canRetry(session: SessionEvent): boolean {
	return failed.has(session.status);
}

/**
 * A download still waiting, or failed, can be canceled: its package is set
 * aside and later ones go ahead (the ERP's advice when the data itself is
 * bad). An upload never can: its package holds the only copy of the POS
 * data it carries.
 */
export function canCancel(session: SessionEvent): boolean {
	return (
		session.direction === "download" &&
		(waiting.has(session.status) || failed.has(session.status))
	);
}
