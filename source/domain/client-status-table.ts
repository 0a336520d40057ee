import type { Configuration } from "./configuration.js";
import {
	type ExpectedRun,
	expectedAsOf,
	expectedRunsFrom,
} from "./expected-runs.js";
import {
	type ClientStatusRow,
	type Entry,
	entriesOf,
	type Lookups,
	lookups,
	type ObservedClient,
	statusRow,
} from "./live-status.js";
import {
	indexInOrder,
	inOrder,
	insertInOrder,
	soonest,
} from "./status-row-order.js";

/**
 * clientStatusRows for a screen that asks every second. With thousands of
 * channel databases, redoing every row each time costs more than the rest
 * of the app; but the row of a database with no state file changes only
 * when one of its next runs passes. The rows are kept in order, in one list
 * changed in place: each call takes out the rows whose run passed and the
 * rows with a state file (few: the clients that ran here), and puts them
 * back worked out afresh. Gives the same rows as clientStatusRows; the list
 * is the table's own and changes at the next call (a new list of ten
 * thousand rows a second was most of the idle panel's garbage).
 */
export class ClientStatusTable {
	#configuration: Configuration | null = null;
	#observedNames = "";
	#found: Lookups = { databases: new Map(), profiles: new Map() };
	#entries = new Map<string, Entry>();
	/** Every row, in compareRows order. */
	#rows: ClientStatusRow[] = [];
	/** The rows of databases with a state file, as they are in #rows. */
	#seen: ClientStatusRow[] = [];

	rows(
		configuration: Configuration,
		observed: ReadonlyMap<string, ObservedClient>,
		now: Date,
	): readonly ClientStatusRow[] {
		const observedNames = [...observed.keys()].join("\n");
		const expected = this.#expectedRuns(configuration, now);
		const rowOf = (entry: Entry) =>
			statusRow(entry, this.#found, observed, now, expected);
		const hasState = (row: ClientStatusRow) =>
			this.#entries.get(row.key)?.observedKey !== undefined;
		if (
			configuration !== this.#configuration ||
			observedNames !== this.#observedNames
		) {
			this.#configuration = configuration;
			this.#observedNames = observedNames;
			const entries = entriesOf(this.#found, observed);
			this.#entries = new Map(entries.map((entry) => [entry.key, entry]));
			this.#rows = inOrder(entries.map(rowOf));
			this.#seen = this.#rows.filter(hasState);
			return this.#rows;
		}
		const rows = this.#rows;
		const again = [...this.#seen];
		for (const row of this.#seen) {
			const index = indexInOrder(rows, row);
			if (index >= 0) rows.splice(index, 1);
		}
		// Every row left is one without a state file: its times move once a minute.
		const nowMs = expectedAsOf(now).getTime();
		let passed = 0;
		while (
			passed < rows.length &&
			soonest(rows[passed] as ClientStatusRow) <= nowMs
		)
			passed += 1;
		again.push(...rows.splice(0, passed));
		this.#seen = [];
		for (const before of again) {
			const entry = this.#entries.get(before.key);
			if (!entry) continue;
			const row = rowOf(entry);
			insertInOrder(rows, row);
			if (hasState(row)) this.#seen.push(row);
		}
		return rows;
	}

	#expectedRuns(configuration: Configuration, now: Date): ExpectedRun {
		if (configuration !== this.#configuration)
			this.#found = lookups(configuration);
		return expectedRunsFrom(this.#found.profiles, now);
	}
}
