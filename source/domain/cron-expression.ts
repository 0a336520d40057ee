import { CronExpressionParser } from "cron-parser";
import { remember } from "./schedule-units.js";
import { displayText } from "./text.js";

/*
 * cron-parser and what its messages mean. The reasons below match its error
 * strings: an upgrade that rewords them shows here first (the tests pin the
 * messages an operator reads).
 */

const FIVE_FIELD_NAMES = [
	"minute",
	"hour",
	"day-of-month",
	"month",
	"day-of-week",
] as const;
const SIX_FIELD_NAMES = ["second", ...FIVE_FIELD_NAMES] as const;

const expressionProblems = new Map<string, string | null>();

/**
 * Returns null when the expression is usable, else a one-line plain-English
 * reason, e.g. `minute "60": must be within 0-59`.
 */
export function cronExpressionProblem(expression: string): string | null {
	return remember(expressionProblems, expression, findExpressionProblem);
}

function findExpressionProblem(expression: string): string | null {
	const trimmed = expression.trim();
	if (trimmed === "") {
		return "required";
	}
	if (trimmed.startsWith("@")) {
		return parseProblem(trimmed) === null
			? null
			: `unknown shortcut ${quote(trimmed)} (use @hourly, @daily, @weekly, @monthly or @yearly)`;
	}
	const fields = trimmed.split(/\s+/);
	if (fields.length < 5 || fields.length > 6) {
		return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${fields.length}`;
	}
	const problem = parseProblem(trimmed);
	if (problem === null) {
		return null;
	}
	return blameField(fields) ?? describeCombinationProblem(problem, fields);
}

/** cron-parser on an expression, in UTC, its matches starting after `currentDateMs`. */
export function parseCron(expression: string, currentDateMs: number) {
	// "H" values are chosen by a generator seeded here; without a seed they
	// would differ between the TUI and the client.
	return CronExpressionParser.parse(expression, {
		currentDate: new Date(currentDateMs),
		tz: "UTC",
		hashSeed: expression,
	});
}

/** cron-parser's message for an expression, or null when it parses and matches. */
function parseProblem(expression: string): string | null {
	try {
		parseCron(expression, Date.UTC(2000, 0, 1)).next();
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** Names the first field that is wrong on its own, with a plain reason. */
function blameField(fields: string[]): string | null {
	const names = fields.length === 6 ? SIX_FIELD_NAMES : FIVE_FIELD_NAMES;
	for (const [index, field] of fields.entries()) {
		const alone = fields.map((other, at) => (at === index ? other : "*"));
		const problem = parseProblem(alone.join(" "));
		if (problem !== null) {
			const name = names[index] ?? "field";
			return `${name} ${quote(field)}: ${plainReason(problem, name)}`;
		}
	}
	return null;
}

function describeCombinationProblem(problem: string, fields: string[]): string {
	if (problem.startsWith("Invalid explicit day of month definition")) {
		const offset = fields.length - 5;
		return `day-of-month ${quote(fields[offset + 2] ?? "")} never occurs in month ${quote(fields[offset + 3] ?? "")}`;
	}
	return plainReason(problem, "");
}

/** cron-parser's error message, reworded for an operator. */
function plainReason(message: string, fieldName: string): string {
	const reasons: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
		[
			/expected range (\d+)-(\d+)|outside the (\d+)-(\d+) range/,
			(match) =>
				`must be within ${match[1] ?? match[3]}-${match[2] ?? match[4]}`,
		],
		[/min\(\d+\) > max\(\d+\)|min > max/, () => "range runs backwards"],
		[
			/cannot repeat at every 0|must be positive/,
			() => "step must be at least 1",
		],
		[
			/wider than the (\d+-\d+) range/,
			(match) => `step is wider than ${match[1]}`,
		],
		[
			/cannot resolve alias/,
			() =>
				fieldName === "month"
					? "unknown name (use 1-12 or JAN-DEC)"
					: "unknown name (use 0-7 or SUN-SAT)",
		],
		[/Invalid characters/, () => "unexpected characters"],
		[/Invalid wildcard/, () => 'use "*" alone or as "*/step"'],
		[/Invalid list value format/, () => "empty item in a list"],
		[/occurrence number \(#\)/, () => 'the number after "#" must be 1-5'],
		[/too many values/, () => "too many values"],
	];
	for (const [pattern, reword] of reasons) {
		const match = message.match(pattern);
		if (match !== null) {
			return reword(match);
		}
	}
	const gist = message
		.replace(/^(\w+ )?(Validation|Constraint) error, /, "")
		.replace(/\.$/, "");
	return gist.charAt(0).toLowerCase() + gist.slice(1);
}

/**
 * Shows a value from data in a message: quoted, short, and inert like every
 * quoted value (text.ts), so a C1 control or a bidi override typed into a
 * field never reaches a terminal raw.
 */
export function quote(value: string): string {
	const short = value.length > 40 ? `${value.slice(0, 39)}…` : value;
	return JSON.stringify(displayText(short));
}
