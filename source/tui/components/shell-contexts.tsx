import type { ReactNode } from "react";
import { type Clock, ClockContext } from "../clock.js";
import { ColorsContext } from "../colors.js";
import { type Keymap, KeymapContext } from "../keymap.js";
import { type ScreenChannel, ScreenContext } from "../screen-context.js";

/** What every screen under the shell reads from context: keys, colour, time and the channel to the shell. */
export function ShellContexts({
	keymap,
	colors,
	clock,
	channel,
	children,
}: {
	keymap: Keymap;
	colors: boolean;
	clock: Clock;
	channel: ScreenChannel;
	children: ReactNode;
}) {
	return (
		<KeymapContext.Provider value={keymap}>
			<ColorsContext.Provider value={colors}>
				<ClockContext.Provider value={clock}>
					<ScreenContext.Provider value={channel}>
						{children}
					</ScreenContext.Provider>
				</ClockContext.Provider>
			</ColorsContext.Provider>
		</KeymapContext.Provider>
	);
}
