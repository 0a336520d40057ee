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

test("numbers are grouped as en-US writes them, whole or not", (t) => {
	const intl = new Intl.NumberFormat("en-US");
	for (const value of [
		0,
		5,
		999,
		1000,
		12_345,
		999_999,
		1_000_000,
		123_456_789,
		Number.MAX_SAFE_INTEGER,
		-1,
		-1234,
		-1_000_000,
		1.5,
		1234.5678,
		1e21,
	])
		t.is(numberText(value), intl.format(value), String(value));
});
