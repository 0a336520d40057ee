import test from "ava";
import fc from "fast-check";
import { retailChannelSchemas } from "../../source/domain/configuration.js";
import { characterCount } from "../../source/domain/text.js";
import {
	absolutePath,
	idList,
	linkTo,
	oneOf,
	optionalText,
	recordName,
	requiredText,
	sameName,
	wholeNumber,
} from "../../source/domain/validation.js";
import {
	anyInput,
	countInputs,
	nameRule,
	propertyRuns,
	readable,
	unsafe,
} from "../helpers/bad-input.js";

const counted = countInputs("bad-input-rules");
const runs = propertyRuns;

const decimal = /^[0-9]+$/;

// The rules of source/domain/validation.ts, each against its plain-words spec.

test("wholeNumber accepts exactly the decimal whole numbers in range, and says the range otherwise", (t) => {
	fc.assert(
		fc.property(
			anyInput,
			fc.nat({ max: 100 }),
			fc.nat({ max: 5000 }),
			(raw, min, span) => {
				counted(raw);
				const max = min + span;
				const result = wholeNumber(min, max)(raw);
				const typed = raw.trim();
				const inRange =
					decimal.test(typed) && Number(typed) >= min && Number(typed) <= max;
				if (result.ok)
					return (
						inRange &&
						Number.isSafeInteger(result.value) &&
						result.value === Number(typed)
					);
				return (
					!inRange &&
					result.message.startsWith(
						`must be a whole number from ${min} to ${max}`,
					) &&
					readable(result.message)
				);
			},
		),
		{ numRuns: runs },
	);
	t.pass();
});

test("optionalText and requiredText keep trimmed text within the length and free of control characters", (t) => {
	fc.assert(
		fc.property(anyInput, fc.integer({ min: 1, max: 200 }), (raw, max) => {
			counted(raw);
			const value = raw.trim();
			const fits = characterCount(value) <= max && !unsafe.test(value);
			const optional = optionalText(max)(raw);
			const required = requiredText(max)(raw);
			if (optional.ok !== fits) return false;
			if (optional.ok && optional.value !== value) return false;
			if (!optional.ok && !readable(optional.message)) return false;
			if (required.ok) return fits && value !== "" && required.value === value;
			return (
				(value === "" ? required.message === "required" : !fits) &&
				readable(required.message)
			);
		}),
		{ numRuns: runs },
	);
	t.pass();
});

test("recordName accepts 1 to N letters, digits, - and _ only", (t) => {
	fc.assert(
		fc.property(anyInput, fc.integer({ min: 1, max: 40 }), (raw, max) => {
			counted(raw);
			const value = raw.trim();
			const result = recordName(max)(raw);
			const fits = nameRule.test(value) && value.length <= max;
			if (result.ok) return fits && result.value === value;
			return !fits && readable(result.message);
		}),
		{ numRuns: runs },
	);
	t.pass();
});

test("absolutePath accepts only absolute paths below the root without .. or control characters, and normalises them", (t) => {
	fc.assert(
		fc.property(anyInput, (raw) => {
			counted(raw);
			const result = absolutePath()(raw);
			const typed = raw.trim();
			if (!result.ok)
				return (
					(typed === "" ||
						!typed.startsWith("/") ||
						typed.split("/").includes("..") ||
						unsafe.test(typed) ||
						characterCount(typed) > 4096 ||
						typed.split("/").every((part) => part === "" || part === ".")) &&
					readable(result.message)
				);
			const path = result.value;
			return (
				typed.startsWith("/") &&
				!typed.split("/").includes("..") &&
				!unsafe.test(path) &&
				path.startsWith("/") &&
				!path.includes("//") &&
				!path.split("/").includes(".") &&
				!path.split("/").includes("..") &&
				path !== "/" &&
				!path.endsWith("/")
			);
		}),
		{ numRuns: runs },
	);
	t.pass();
});

test("oneOf, linkTo and idList accept only what they list, ignoring case", (t) => {
	const records = [
		{ id: "id-a", name: "STORES" },
		{ id: "id-b", name: "Outlets" },
	];
	fc.assert(
		fc.property(anyInput, (raw) => {
			counted(raw);
			const typed = raw.trim();
			const picked = oneOf(retailChannelSchemas)(raw);
			if (
				picked.ok
					? !sameName(picked.value, typed)
					: retailChannelSchemas.some((option) => sameName(option, typed)) ||
						!readable(picked.message)
			)
				return false;
			const linked = linkTo(records, "profile")(raw);
			const target = records.find((record) => sameName(record.name, typed));
			if (linked.ok ? linked.value !== target?.id : target !== undefined)
				return false;
			if (!linked.ok && !readable(linked.message)) return false;
			const ids = idList(20)(raw);
			if (!ids.ok) return readable(ids.message);
			const lower = ids.value.map((id) => id.toLowerCase());
			return (
				ids.value.every((id) => nameRule.test(id) && id.length <= 20) &&
				new Set(lower).size === lower.length
			);
		}),
		{ numRuns: runs },
	);
	t.pass();
});
