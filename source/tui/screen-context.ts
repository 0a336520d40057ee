import {
	createContext,
	type RefObject,
	useContext,
	useEffect,
	useId,
} from "react";
import type { ConfigurationStore } from "../store/configuration-store.js";
import type { ActionId, DisabledReasons } from "./keymap.js";
import type { ShowStatus } from "./status-message.js";

/** What the shell gives each screen it opens over the navigation. */
export type ScreenProps = {
	store: ConfigurationStore;
	height: number;
	width: number;
	/** False while an overlay or another screen has the keys. */
	isActive: boolean;
	onBack: () => void;
	/** Shows a one-line message in the shell's status line. */
	onStatus: ShowStatus;
};

/** What the screen in front tells the shell: its keys, for the footer, the help and the shell's keys. */
export type ScreenReport = {
	title: string;
	actions: readonly ActionId[];
	/** Offered actions that cannot run now: pressing one shows its reason. */
	disabled?: DisabledReasons;
	/**
	 * Lines the screen needs at least; the live panel below takes the rest.
	 * A report without it (a dialog, the panel itself) leaves the last one
	 * in force.
	 */
	minimumRows?: number;
};

/** Whether two reports tell the shell the same: a screen reports again at every render. */
export function sameReport(a: ScreenReport, b: ScreenReport): boolean {
	return (
		a.title === b.title &&
		a.actions.length === b.actions.length &&
		a.actions.every((action, index) => action === b.actions[index]) &&
		a.minimumRows === b.minimumRows &&
		JSON.stringify(a.disabled ?? {}) === JSON.stringify(b.disabled ?? {})
	);
}

export type ScreenChannel = {
	/** Written while rendering, so the shell's keys see the screen in front at once. */
	latest: RefObject<ScreenReport | null>;
	/** Re-renders the shell so the footer follows. */
	show: (report: ScreenReport) => void;
	/**
	 * Called in the same event that brings a screen to the front: the lines
	 * it needs, so the frame that first shows it is laid out for them (its
	 * own report comes only after that frame).
	 */
	opening: (minimumRows: number) => void;
	/** Forms holding edits that are not saved, in front or hidden under another: quitting asks first. */
	unsaved: Set<string>;
};

export const ScreenContext = createContext<ScreenChannel>({
	latest: { current: null },
	show: () => {},
	opening: () => {},
	unsaved: new Set(),
});

/** Declares the keys of the screen in front; the footer, `?` overlay and shell keys follow it. */
export function useScreenReport(report: ScreenReport, isActive = true): void {
	const { latest, show } = useContext(ScreenContext);
	if (isActive) latest.current = report;
	const { title, actions, disabled, minimumRows } = report;
	useEffect(() => {
		if (isActive)
			show({
				title,
				actions,
				...(disabled ? { disabled } : {}),
				...(minimumRows === undefined ? {} : { minimumRows }),
			});
	}, [show, title, actions, disabled, minimumRows, isActive]);
}

/** How a screen tells the shell, as it brings another view to the front, the lines that view needs (see `opening`). */
export function useOpening(): ScreenChannel["opening"] {
	return useContext(ScreenContext).opening;
}

/** Tells the shell whether this form holds unsaved edits, for as long as it is open. */
export function useUnsavedEdits(dirty: boolean): void {
	const { unsaved } = useContext(ScreenContext);
	const id = useId();
	// Written while rendering: a quit right after a key must see that key's edit.
	if (dirty) unsaved.add(id);
	else unsaved.delete(id);
	useEffect(
		() => () => {
			unsaved.delete(id);
		},
		[unsaved, id],
	);
}
