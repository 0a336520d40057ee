import test from "ava";
import fc from "fast-check";
import {
	ItemSearch,
	type TableItem,
} from "../../source/tui/components/table-view.js";

const naive = (items: readonly TableItem[], filter: string) => {
	const wanted = filter.trim().toLowerCase();
	return items.filter((item) =>
		item.cells.some((cell) => cell.toLowerCase().includes(wanted)),
	);
};

test("a filter typed and erased a key at a time finds what a search of every row finds", (t) => {
	const cell = fc.string({
		unit: fc.constantFrom("a", "B", "c", "-", "1", " "),
		maxLength: 6,
	});
	fc.assert(
		fc.property(
			fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), {
				maxLength: 40,
			}),
			fc.array(
				fc.oneof(
					fc.constantFrom("a", "b", "C", "1", "-", " "),
					fc.constant("⌫"),
				),
				{ maxLength: 30 },
			),
			(rows, keys) => {
				const items = rows.map((cells, index) => ({
					key: String(index),
					cells,
				}));
				const search = new ItemSearch(items);
				let filter = "";
				for (const key of keys) {
					filter = key === "⌫" ? filter.slice(0, -1) : filter + key;
					t.deepEqual(
						search.filter(filter),
						naive(items, filter),
						JSON.stringify(filter),
					);
				}
			},
		),
		{ numRuns: 300 },
	);
});

test("erasing a key gives back the very list found before", (t) => {
	const items = [
		{ key: "1", cells: ["STORE-01"] },
		{ key: "2", cells: ["STORE-02"] },
	];
	const search = new ItemSearch(items);
	const before = search.filter("store-0");
	search.filter("store-01");
	t.is(search.filter("store-0"), before);
});
