import { Box, Text } from "ink";
import type { FieldDescription } from "../../domain/record-kind.js";
import { characterCount, countOf, displayText } from "../../domain/text.js";
import { useColor } from "../colors.js";
import { keyName, useKeymap } from "../keymap.js";
import { TextField } from "../terminal/text-field.js";

type Props = {
	field: FieldDescription;
	value: string;
	/** Why the field does not count in this draft (cron replaces the interval), else null. */
	unused: string | null;
	problem: string | undefined;
	focused: boolean;
	typing: boolean;
	isNew: boolean;
	labelWidth: number;
	onChange: (value: string) => void;
};

function hint(
	field: FieldDescription,
	isNew: boolean,
	chooseKey: string,
): string {
	switch (field.kind) {
		case "password":
			return isNew ? "" : "(empty keeps the saved password)";
		case "list":
			return "(comma-separated)";
		case "pick":
			return `(${chooseKey} to choose)`;
		default:
			return "";
	}
}

/** One row of a form: label, value, a hint while focused, and its problem under it. */
export function FormField({
	field,
	value,
	unused,
	problem,
	focused,
	typing,
	isNew,
	labelWidth,
	onChange,
}: Props) {
	const color = useColor();
	const keymap = useKeymap();
	// The field's limit once it is reached, to say so while typing.
	const reachedLimit =
		field.maxLength !== undefined && characterCount(value) >= field.maxLength
			? field.maxLength
			: null;
	const note =
		unused !== null
			? `(${unused})`
			: !focused
				? ""
				: reachedLimit !== null
					? `(${countOf(reachedLimit, "character")} at most)`
					: hint(field, isNew, keyName(keymap.choose));
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={labelWidth} flexShrink={0}>
					<Text
						color={focused ? color("cyan") : undefined}
						dimColor={unused !== null && !focused}
						wrap="truncate-end"
					>
						{focused ? "› " : "  "}
						{field.label}
					</Text>
				</Box>
				<Box flexGrow={1} flexShrink={1}>
					{field.kind === "pick" ? (
						<Text inverse={focused} wrap="truncate-end">
							{displayText(value) || " "}
						</Text>
					) : (
						<TextField
							value={value}
							onChange={onChange}
							focus={focused && typing}
							dim={unused !== null}
							{...(field.maxLength === undefined
								? {}
								: { maxLength: field.maxLength })}
							{...(field.kind === "password" ? { mask: "•" } : {})}
						/>
					)}
				</Box>
				{note !== "" && (
					<Box flexShrink={0} paddingLeft={1}>
						<Text dimColor>{note}</Text>
					</Box>
				)}
			</Box>
			{problem && (
				<Text color={color("red")} wrap="wrap">
					{"    ✗ "}
					{displayText(problem)}
				</Text>
			)}
		</Box>
	);
}
