import { Box, Text } from "ink";
import type { Draft, FieldDescription } from "../../domain/record-kind.js";
import { countOf } from "../../domain/text.js";
import { keyName, useKeymap } from "../keymap.js";
import { FormField } from "./form-field.js";

type Props = {
	fields: readonly FieldDescription[];
	/** The fields in view, [start, end) (scroll-window.ts). */
	window: { start: number; end: number };
	/** The field with the cursor; -1 while none has it (a dialog is open). */
	focus: number;
	draft: Draft;
	problemOf: (field: FieldDescription) => string | undefined;
	typing: boolean;
	isNew: boolean;
	labelWidth: number;
	width: number;
	onChange: (key: string, value: string) => void;
};

/** The fields of a form that are in view, with a marker saying how many are above and below. */
export function FieldWindow({
	fields,
	window,
	focus,
	draft,
	problemOf,
	typing,
	isNew,
	labelWidth,
	width,
	onChange,
}: Props) {
	const keymap = useKeymap();
	const above = window.start;
	const below = fields.length - window.end;
	return (
		<Box flexDirection="column" width={width} flexShrink={0}>
			{above > 0 && (
				<Text dimColor>
					{"  "}▲ {countOf(above, "more field")} above (
					{keyName(keymap.previousField)})
				</Text>
			)}
			{fields.slice(window.start, window.end).map((field) => (
				<FormField
					key={field.key}
					field={field}
					value={draft[field.key] ?? ""}
					unused={field.unusedBecause?.(draft) ?? null}
					problem={problemOf(field)}
					focused={fields.indexOf(field) === focus}
					typing={typing}
					isNew={isNew}
					labelWidth={labelWidth}
					onChange={(value) => onChange(field.key, value)}
				/>
			))}
			{below > 0 && (
				<Text dimColor>
					{"  "}▼ {countOf(below, "more field")} below (
					{keyName(keymap.nextField)})
				</Text>
			)}
		</Box>
	);
}
