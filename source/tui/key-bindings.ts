import type { Keymap } from "./keymap.js";

/**
 * Every action's keys, label, help text and footer text, as the app ships
 * them. A test (or, later, a user's configuration) passes another table.
 */
export const defaultKeymap: Keymap = {
	quit: {
		keys: [{ input: "q" }],
		keyLabel: "q",
		description: "Quit (asks first when a form holds unsaved edits)",
		footer: "quit",
	},
	interrupt: {
		keys: [{ ctrl: "c" }],
		keyLabel: "^C",
		description:
			"Quit from anywhere, even while typing (asks first with unsaved edits)",
	},
	help: {
		keys: [{ input: "?" }],
		keyLabel: "?",
		description: "Show every key of this screen",
		footer: "help",
	},
	// In a form "?" is a character a description, a password or a cron may hold.
	formHelp: {
		keys: [{ ctrl: "o" }],
		keyLabel: "^O",
		description: "Show every key of this form",
		footer: "help",
	},
	goto: {
		keys: [{ input: ":" }],
		keyLabel: ":",
		description: "Go to a form by name",
		footer: "go to",
	},
	up: {
		keys: [{ key: "upArrow" }, { input: "k" }],
		keyLabel: "↑/k",
		description: "Move up",
	},
	down: {
		keys: [{ key: "downArrow" }, { input: "j" }],
		keyLabel: "↓/j",
		description: "Move down",
	},
	pageUp: {
		keys: [{ key: "pageUp" }],
		keyLabel: "PgUp",
		description: "Page up",
	},
	pageDown: {
		keys: [{ key: "pageDown" }],
		keyLabel: "PgDn",
		description: "Page down",
	},
	first: {
		keys: [{ key: "home" }, { input: "g" }],
		keyLabel: "Home/g",
		description: "First row",
	},
	last: {
		keys: [{ key: "end" }, { input: "G" }],
		keyLabel: "End/G",
		description: "Last row",
	},
	open: {
		keys: [{ key: "return" }, { key: "rightArrow" }],
		keyLabel: "Enter/→",
		description: "Open",
		footer: "open",
	},
	back: {
		keys: [{ key: "escape" }, { key: "leftArrow" }],
		keyLabel: "Esc/←",
		description: "Back",
		footer: "back",
	},
	new: {
		keys: [{ input: "n" }, { ctrl: "n" }],
		keyLabel: "n/^N",
		description: "New record",
		footer: "new",
	},
	delete: {
		keys: [{ input: "d" }, { ctrl: "d" }],
		keyLabel: "d/Del",
		description: "Delete the selected record, after a y/n question",
		footer: "delete",
	},
	nextField: {
		keys: [{ key: "tab" }, { key: "downArrow" }, { key: "return" }],
		keyLabel: "Tab/↓/Enter",
		description: "Next field",
		footer: "next",
	},
	previousField: {
		keys: [{ key: "tab", shift: true }, { key: "upArrow" }],
		keyLabel: "S-Tab/↑",
		description: "Previous field",
		footer: "previous",
	},
	save: {
		keys: [{ ctrl: "s" }],
		keyLabel: "^S",
		description: "Save",
		footer: "save",
	},
	cancel: {
		keys: [{ key: "escape" }],
		keyLabel: "Esc",
		description: "Cancel (asks before dropping changes)",
		footer: "cancel",
	},
	reload: {
		keys: [{ ctrl: "r" }],
		keyLabel: "^R",
		description: "Reload the record as saved on disk, dropping your edits",
		footer: "reload",
	},
	yes: {
		keys: [{ input: "y" }, { input: "Y" }],
		keyLabel: "y",
		description: "Yes",
		footer: "yes",
	},
	no: {
		keys: [{ input: "n" }, { input: "N" }, { key: "escape" }],
		keyLabel: "n/Esc",
		description: "No",
		footer: "no",
	},
	matchUp: {
		keys: [{ key: "upArrow" }],
		keyLabel: "↑",
		description: "Previous match",
	},
	matchDown: {
		keys: [{ key: "downArrow" }],
		keyLabel: "↓",
		description: "Next match",
	},
	choose: {
		keys: [{ key: "return" }, { input: " " }],
		keyLabel: "Enter/Space",
		description: "Choose a value from the list",
		footer: "choose",
	},
	follow: {
		keys: [{ ctrl: "g" }],
		keyLabel: "^G",
		description:
			"Go to the record this field points at; going back returns to this form",
		footer: "go to record",
	},
	filter: {
		keys: [{ input: "/" }],
		keyLabel: "/",
		description:
			"Filter the list (any column, ignoring case); going back clears the filter",
		footer: "filter",
	},
	sort: {
		keys: [{ input: "s" }],
		keyLabel: "s",
		description: "Reverse the sort: ↑ ascending, ↓ descending",
		footer: "reverse",
	},
	sortNext: {
		keys: [{ input: ">" }],
		keyLabel: ">",
		description: "Sort by the next column to the right",
		footer: "sort column",
	},
	sortPrevious: {
		keys: [{ input: "<" }],
		keyLabel: "<",
		description: "Sort by the column to the left",
	},
	fullSync: {
		keys: [{ input: "f" }],
		keyLabel: "f",
		description:
			"Full data sync: the client takes all data again on its next download",
		footer: "full sync",
	},
	// Ctrl: in a form a letter is typed into the field.
	testStore: {
		keys: [{ ctrl: "t" }],
		keyLabel: "^T",
		description:
			"Test the channel database as saved: folders, credentials and its database (cdx channel-db test)",
		footer: "test",
	},
	pick: {
		keys: [{ key: "return" }],
		keyLabel: "Enter",
		description: "Take the highlighted entry",
		footer: "pick",
	},
	panel: {
		keys: [{ input: "p" }],
		keyLabel: "p",
		description:
			"Focus the live panel of Async Clients (the same key or back leaves it)",
		footer: "panel",
	},
	runDownload: {
		keys: [{ input: "D" }],
		keyLabel: "D",
		description: "Ask the highlighted client to download now",
		footer: "download now",
	},
	runUpload: {
		keys: [{ input: "U" }],
		keyLabel: "U",
		description: "Ask the highlighted client to upload now",
		footer: "upload now",
	},
	retrySession: {
		keys: [{ input: "r" }],
		keyLabel: "r",
		description:
			"Retry the failed session (the client tries its package again)",
		footer: "retry",
	},
	cancelSession: {
		keys: [{ input: "c" }],
		keyLabel: "c",
		description:
			"Cancel the waiting or failed session: a download package is skipped (asked first), later ones go ahead",
		footer: "cancel session",
	},
	cursorLeft: {
		keys: [{ key: "leftArrow" }],
		keyLabel: "←",
		description: "Move the cursor left",
	},
	cursorRight: {
		keys: [{ key: "rightArrow" }],
		keyLabel: "→",
		description: "Move the cursor right",
	},
	lineStart: {
		keys: [{ ctrl: "a" }, { key: "home" }],
		keyLabel: "^A/Home",
		description: "Move the cursor to the start of the text",
	},
	lineEnd: {
		keys: [{ ctrl: "e" }, { key: "end" }],
		keyLabel: "^E/End",
		description: "Move the cursor to the end of the text",
	},
	// Ink names the Backspace key (DEL, 0x7f) "delete"; Ctrl+H arrives as backspace.
	deleteBack: {
		keys: [{ key: "backspace" }, { key: "delete" }],
		keyLabel: "Backspace",
		description: "Delete the character before the cursor",
	},
	// The terminal's Delete key arrives as Ctrl+D (paced-input.ts says why).
	deleteForward: {
		keys: [{ ctrl: "d" }],
		keyLabel: "Del/^D",
		description: "Delete the character under the cursor",
	},
	deleteToStart: {
		keys: [{ ctrl: "u" }],
		keyLabel: "^U",
		description: "Delete from the start of the text to the cursor",
	},
	deleteToEnd: {
		keys: [{ ctrl: "k" }],
		keyLabel: "^K",
		description: "Delete from the cursor to the end of the text",
	},
	deleteWordBack: {
		keys: [{ ctrl: "w" }],
		keyLabel: "^W",
		description: "Delete the word before the cursor",
	},
	keepFilter: {
		keys: [{ key: "return" }],
		keyLabel: "Enter",
		description: "Keep the filter and go back to the list",
		footer: "keep filter",
	},
};
