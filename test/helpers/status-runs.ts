import type { RunSummary } from "../../source/domain/client-state.js";

/**
 * A download that ended at 08:04 on Thursday 26 November 2026, three
 * minutes before the status tests' `now`: Applied, 2 packages, 1,204 rows.
 */
export const appliedDownload = {
	startedAt: "2026-11-26T08:03:00.000Z",
	at: "2026-11-26T08:04:00.000Z",
	status: "Succeeded",
	packages: 2,
	rows: 1204,
	message: null,
} satisfies RunSummary;
