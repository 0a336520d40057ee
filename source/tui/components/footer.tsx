import { Text } from "ink";
import { memo } from "react";
import { type ActionId, type Keymap, useKeymap } from "../keymap.js";

type Props = { actions: readonly ActionId[]; width: number };

const gap = "  ";
const more = "…";
const helpActions: readonly ActionId[] = ["help", "formHelp"];

/**
 * The footer's hints, in the screen's order, fitted to `width`. When they
 * do not all fit, the help key stays, at the end, and the hints that do
 * not fit give way to a "…" that says some are left out (the help lists them).
 */
export function footerHints(
	keymap: Keymap,
	actions: readonly ActionId[],
	width: number,
): string[] {
	const hint = (action: ActionId) =>
		`${keymap[action].keyLabel} ${keymap[action].footer}`;
	const withFooter = actions.filter((action) => keymap[action].footer);
	const all = withFooter.map(hint);
	const lengthOf = (parts: string[]) => parts.join(gap).length;
	if (lengthOf(all) <= width) return all;
	const help = withFooter.find((action) => helpActions.includes(action));
	const tail = help ? [hint(help)] : [];
	const shown: string[] = [];
	for (const action of withFooter) {
		if (action === help) continue;
		if (lengthOf([...shown, hint(action), more, ...tail]) > width) break;
		shown.push(hint(action));
	}
	return [...shown, more, ...tail];
}

/**
 * The footer of the screen in front. `actions` is read as this renders,
 * after the screens above it in the same pass, so the frame that first
 * shows a screen shows its keys too (its report to the shell comes after).
 */
export function FrontFooter({
	actions,
	width,
}: {
	actions: () => readonly ActionId[];
	width: number;
}) {
	return <Footer actions={actions()} width={width} />;
}

/** The keys that work here, generated from the keymap so it never disagrees with behaviour. */
export const Footer = memo(function Footer({ actions, width }: Props) {
	const keymap = useKeymap();
	return (
		<Text wrap="truncate-end" dimColor>
			{footerHints(keymap, actions, width).join(gap)}
		</Text>
	);
});
