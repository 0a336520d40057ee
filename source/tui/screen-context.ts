import { createContext, useContext, useEffect } from "react";
import type { ActionId } from "./keymap.js";

/** What the screen in front tells the shell: its keys (for footer and help) and unsaved edits. */
export type ScreenReport = {
	title: string;
	actions: readonly ActionId[];
	/** True while a form holds edits that are not saved; quitting then asks first. */
	dirty: boolean;
};

export const ScreenContext = createContext<(report: ScreenReport) => void>(
	() => {},
);

/** Declares the keys of the screen in front; the footer and `?` overlay are made from it. */
export function useScreenReport(report: ScreenReport, isActive = true): void {
	const setReport = useContext(ScreenContext);
	const { title, actions, dirty } = report;
	useEffect(() => {
		if (isActive) setReport({ title, actions, dirty });
	}, [setReport, title, actions, dirty, isActive]);
}
