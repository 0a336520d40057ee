import test from "ava";
import fc from "fast-check";
import InkOutput from "../../node_modules/ink/build/output.js";
import FrameOutput from "../../source/tui/terminal/frame-output.js";

type Transformer = (line: string, index: number) => string;
type Operation =
	| {
			type: "write";
			x: number;
			y: number;
			text: string;
			transformer: number;
	  }
	| { type: "clip"; x1?: number; x2?: number; y1?: number; y2?: number }
	| { type: "unclip" };
type Frame = { width: number; height: number; operations: Operation[] };

// What Ink's Text components hand the output: colours, a wide character, and
// the control-picture and arrow characters cdx draws with.
const pieces = [
	"STORE-1",
	" ",
	"↓ 3/10",
	"東京",
	"\u001B[31mFailed\u001B[39m",
	"\u001B[2m≈Wed 01:52\u001B[22m",
	"\u001B[7m› row \u001B[27m",
	"␛",
	"—",
	"\n",
];
// Text components with a colour or with inverse on their first line only.
const transformers: Transformer[][] = [
	[],
	[(line) => `\u001B[36m${line}\u001B[39m`],
	[(line, index) => (index === 0 ? `\u001B[7m${line}\u001B[27m` : line)],
];

const text = fc
	.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 6 })
	.map((parts) => parts.join(""));
const operation: fc.Arbitrary<Operation> = fc.oneof(
	{
		weight: 6,
		arbitrary: fc.record({
			type: fc.constant("write" as const),
			x: fc.integer({ min: 0, max: 24 }),
			y: fc.integer({ min: -1, max: 8 }),
			text,
			transformer: fc.integer({ min: 0, max: transformers.length - 1 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record(
			{
				type: fc.constant("clip" as const),
				x1: fc.integer({ min: 0, max: 10 }),
				x2: fc.integer({ min: 4, max: 24 }),
				y1: fc.integer({ min: 0, max: 4 }),
				y2: fc.integer({ min: 2, max: 8 }),
			},
			{ requiredKeys: ["type"] },
		),
	},
	{ weight: 1, arbitrary: fc.constant({ type: "unclip" as const }) },
);
const frame: fc.Arbitrary<Frame> = fc.record({
	width: fc.integer({ min: 1, max: 20 }),
	height: fc.integer({ min: 1, max: 7 }),
	operations: fc.array(operation, { maxLength: 12 }),
});

/** Builds one frame through either output, as Ink's renderer drives it. */
function build(
	Output: typeof InkOutput | typeof FrameOutput,
	{ width, height, operations }: Frame,
): { output: string; height: number } {
	const output = new Output({ width, height });
	for (const step of operations) {
		if (step.type === "write")
			output.write(step.x, step.y, step.text, {
				transformers: transformers[step.transformer] ?? [],
			});
		else if (step.type === "clip")
			output.clip({ x1: step.x1, x2: step.x2, y1: step.y1, y2: step.y2 });
		else output.unclip();
	}
	return output.get();
}

test("every frame is built exactly as Ink builds it, however many frames before it left rows and lines behind", (t) => {
	// fast-check shrinks a failure to the smallest frames that show it.
	t.notThrows(() =>
		fc.assert(
			fc.property(
				fc.array(frame, { minLength: 1, maxLength: 8 }),
				fc.array(fc.nat(), { maxLength: 8 }),
				(frames, repeats) => {
					// Frames seen before come back (a tick that changed nothing), some of their writes moved.
					const shown = [
						...frames,
						...repeats.map((pick) => frames[pick % frames.length] as Frame),
					];
					return shown.every(
						(each) =>
							JSON.stringify(build(FrameOutput, each)) ===
							JSON.stringify(build(InkOutput, each)),
					);
				},
			),
			{ numRuns: 400 },
		),
	);
});

test("a row is built again when only a colour on it changed", (t) => {
	const row = (colour: string): Frame => ({
		width: 20,
		height: 1,
		operations: [
			{
				type: "write",
				x: 0,
				y: 0,
				text: `\u001B[${colour}mSTORE-1\u001B[39m`,
				transformer: 0,
			},
		],
	});
	t.is(
		build(FrameOutput, row("31")).output,
		build(InkOutput, row("31")).output,
	);
	t.is(build(FrameOutput, row("32")).output, "\u001B[32mSTORE-1\u001B[39m");
});
