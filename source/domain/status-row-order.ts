import type { ClientStatusRow } from "./live-status.js";

/*
 * The live panel's order, soonest next run first, and the sorted-list
 * operations the incremental table needs to keep it.
 */

export function soonest(row: ClientStatusRow): number {
	return Math.min(
		row.nextDownloadAt?.getTime() ?? Infinity,
		row.nextUploadAt?.getTime() ?? Infinity,
	);
}

// The same order as localeCompare, without setting up a collator per
// comparison; made when first needed, as numberText's formatter is (text.ts).
let names: Intl.Collator | undefined;

/** Soonest next run first, then by channel database. */
function compareRows(a: ClientStatusRow, b: ClientStatusRow): number {
	return soonest(a) - soonest(b) || compareNames(a, b);
}

function compareNames(a: ClientStatusRow, b: ClientStatusRow): number {
	names ??= new Intl.Collator();
	return (
		names.compare(a.channelDatabase, b.channelDatabase) ||
		(a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
	);
}

/** Rows in compareRows order; each row's soonest run is worked out once, not at every comparison. */
export function inOrder(rows: readonly ClientStatusRow[]): ClientStatusRow[] {
	return rows
		.map((row) => ({ row, at: soonest(row) }))
		.sort((a, b) => a.at - b.at || compareNames(a.row, b.row))
		.map(({ row }) => row);
}

/** The first index of `rows` (in compareRows order) from which `goesBefore` no longer holds: a binary search. */
function firstIndexAfter(
	rows: readonly ClientStatusRow[],
	goesBefore: (candidate: ClientStatusRow) => boolean,
): number {
	let low = 0;
	let high = rows.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (goesBefore(rows[middle] as ClientStatusRow)) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** Puts `row` in its place in `rows`, which are in compareRows order: after the rows equal to it. */
export function insertInOrder(
	rows: ClientStatusRow[],
	row: ClientStatusRow,
): void {
	const place = firstIndexAfter(
		rows,
		(candidate) => compareRows(candidate, row) <= 0,
	);
	rows.splice(place, 0, row);
}

/** Where `row` itself is in `rows`, which are in compareRows order; -1 when it is not there. */
export function indexInOrder(
	rows: readonly ClientStatusRow[],
	row: ClientStatusRow,
): number {
	const place = firstIndexAfter(
		rows,
		(candidate) => compareRows(candidate, row) < 0,
	);
	return rows[place] === row ? place : -1;
}
