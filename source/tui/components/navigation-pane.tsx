import { Box, Text } from "ink";
import { displayText } from "../../domain/text.js";
import { type NavigationRow, pathKey } from "../navigation.js";
import { windowStart } from "./list-page.js";

type Props = {
	rows: NavigationRow[];
	cursor: number;
	collapsed: ReadonlySet<string>;
	height: number;
	width: number;
};

/** The menu tree; folders show ▾ open or ▸ closed, forms are the leaves. */
export function NavigationPane({
	rows,
	cursor,
	collapsed,
	height,
	width,
}: Props) {
	const start = windowStart(cursor, rows.length, height);
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			{rows.slice(start, start + height).map((row, offset) => {
				const index = start + offset;
				const isFolder = Boolean(row.node.children);
				const marker = isFolder
					? collapsed.has(pathKey(row.path))
						? "▸ "
						: "▾ "
					: "• ";
				return (
					<Text
						key={pathKey(row.path)}
						inverse={index === cursor}
						wrap="truncate-end"
					>
						{"  ".repeat(row.depth)}
						{marker}
						{displayText(row.node.label)}
					</Text>
				);
			})}
		</Box>
	);
}
