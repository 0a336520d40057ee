import test from "ava";
import stringWidth from "string-width";
import textWidth, {
	oneColumnCharacter,
} from "../../source/tui/terminal/text-width.js";
import { waitUntil } from "../helpers/wait.js";

const samples = [
	"▾ Retail",
	"↓≈11:15:00 in 7:05",
	"─ STORE-08940 · PROFILE-140 · ≈ expected ─",
	"Grüße, façade, naïve",
	"\u001B[2m↑ 08:15:00\u001B[22m \u001B[36mq quit\u001B[39m",
	"✗ ⚠ … → ← › — • · ▸ ␀ ␛",
];

test("every character counted as one column is one column for string-width too", (t) => {
	for (let code = 0; code <= 0xffff; code++) {
		const character = String.fromCharCode(code);
		if (!oneColumnCharacter.test(character)) continue;
		t.is(stringWidth(character), 1, `U+${code.toString(16)}`);
	}
});

test("the lines cdx draws measure as string-width measures them", (t) => {
	for (const sample of samples)
		t.is(textWidth(sample), stringWidth(sample), sample);
});

test("wide, combining and emoji text measures as string-width does once it has loaded", async (t) => {
	const others = [
		"東京店",
		"e\u0301",
		"📦 packages",
		"👩‍💻",
		"tab\there",
		"\u001B]8;;x\u0007link",
	];
	// The first call asks for string-width; it arrives shortly after. Until
	// then a joined emoji counts as its parts (4 columns, not 2).
	const joined = "👩‍💻";
	await waitUntil(
		() => textWidth(joined) === stringWidth(joined),
		"string-width to load",
	);
	for (const sample of others)
		t.is(textWidth(sample), stringWidth(sample), sample);
});

test("ambiguous characters are two columns when the caller says so", (t) => {
	t.is(textWidth("↓", { ambiguousIsNarrow: false }), 2);
});
