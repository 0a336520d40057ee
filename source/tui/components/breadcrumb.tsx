import { Text } from "ink";
import { displayText } from "../../domain/text.js";
import { useColor } from "../colors.js";

/** Where the operator is, as the ERP writes it: Retail › Setup › … */
export function Breadcrumb({ path }: { path: string[] }) {
	return (
		<Text bold color={useColor()("cyan")} wrap="truncate-start">
			{path.map(displayText).join(" › ")}
		</Text>
	);
}
