import { createContext, type RefObject, useContext, useEffect } from "react";
import type { ActionId } from "./keymap.js";

/** What the screen in front tells the shell: its keys (for footer and help) and unsaved edits. */
export type ScreenReport = {
	title: string;
	actions: readonly ActionId[];
	/** True while a form holds edits that are not saved; quitting then asks first. */
	dirty: boolean;
};

type ScreenChannel = {
	/** Written while rendering, so the shell's keys see the screen in front at once. */
	latest: RefObject<ScreenReport | null>;
	/** Re-renders the shell so the footer follows. */
	show: (report: ScreenReport) => void;
};

export const ScreenContext = createContext<ScreenChannel>({
	latest: { current: null },
	show: () => {},
});

/** Declares the keys of the screen in front; the footer, `?` overlay and shell keys follow it. */
export function useScreenReport(report: ScreenReport, isActive = true): void {
	const { latest, show } = useContext(ScreenContext);
	if (isActive) latest.current = report;
	const { title, actions, dirty } = report;
	useEffect(() => {
		if (isActive) show({ title, actions, dirty });
	}, [show, title, actions, dirty, isActive]);
}
