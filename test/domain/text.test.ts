import test from "ava";
import { countOf, numberText } from "../../source/domain/text.js";

test("a count is written with thousands separators and the singular for one", (t) => {
	t.is(countOf(1, "record"), "1 record");
	t.is(countOf(0, "record"), "0 records");
	t.is(countOf(10_000, "channel database"), "10,000 channel databases");
	t.is(countOf(2, "entry", "entries"), "2 entries");
	t.is(numberText(1204), "1,204");
	t.is(numberText(7), "7");
});
