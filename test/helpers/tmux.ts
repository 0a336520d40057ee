import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { hangTimeoutMs, pause } from "./wait.js";

export const cdxBin = fileURLToPath(
	new URL("../../dist/cdx.js", import.meta.url),
);

/**
 * A real terminal: a private tmux server running a plain shell, in which a
 * test runs the built `cdx`, types with send-keys and reads the screen with
 * capture-pane. Ink acts differently when it thinks it runs under CI, so the
 * shell starts without CI in its environment.
 */
export function startTerminal(columns = 80, rows = 24) {
	const server = `cdx-test-${randomBytes(4).toString("hex")}`;
	const tmux = (...args: string[]) =>
		execFileSync("tmux", ["-L", server, "-f", "/dev/null", ...args], {
			encoding: "utf8",
		});
	tmux(
		"new-session",
		"-d",
		"-x",
		String(columns),
		"-y",
		String(rows),
		"env -u CI -u CONTINUOUS_INTEGRATION PS1='$ ' bash --norc --noprofile",
	);
	const screen = () => tmux("capture-pane", "-p");
	const run = (command: string) => tmux("send-keys", "-l", `${command}\r`);
	const type = (text: string) => tmux("send-keys", "-l", text);
	const press = (...names: string[]) => tmux("send-keys", ...names);
	/** Pastes as a terminal does: marked (bracketed) when the program asked for it. */
	const paste = (text: string) => {
		tmux("set-buffer", "--", text);
		tmux("paste-buffer", "-p");
	};
	/** "alternate screen on" and "cursor shown", as tmux sees the terminal. */
	const terminalModes = () => {
		const [alternate, cursor] = tmux(
			"display",
			"-p",
			"#{alternate_on} #{cursor_flag}",
		)
			.trim()
			.split(" ");
		return { alternateScreen: alternate === "1", cursorShown: cursor === "1" };
	};
	const waitFor = async (
		expected: string | RegExp,
		timeoutMs = hangTimeoutMs,
	) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const shown = screen();
			if (
				typeof expected === "string"
					? shown.includes(expected)
					: expected.test(shown)
			)
				return shown;
			if (Date.now() > deadline) {
				throw new Error(
					`Timed out waiting for ${String(expected)}; the terminal shows:\n${shown}`,
				);
			}
			await pause(50);
		}
	};
	const resize = (width: number, height: number) =>
		tmux("resize-window", "-x", String(width), "-y", String(height));
	/** The title the program set with OSC 0 or 2 (tmux's default is the host name). */
	const title = () => tmux("display", "-p", "#{pane_title}").trim();
	const close = () => {
		try {
			tmux("kill-server");
		} catch {
			// Already gone.
		}
	};
	return {
		screen,
		run,
		type,
		press,
		paste,
		terminalModes,
		waitFor,
		resize,
		title,
		close,
	};
}

export type Terminal = ReturnType<typeof startTerminal>;

/**
 * The built cdx on `db` in a real terminal of `columns`×`rows`, closed when
 * the test ends; resolves once the screen shows `shown` (by default the
 * footer's "q quit": cdx is up and takes keys).
 */
export async function cdxInTerminal(
	t: { teardown: (fn: () => void) => void },
	db: string,
	{
		columns = 80,
		rows = 24,
		shown = "q quit",
	}: { columns?: number; rows?: number; shown?: string | RegExp } = {},
): Promise<Terminal> {
	const terminal = startTerminal(columns, rows);
	t.teardown(terminal.close);
	terminal.run(`node ${cdxBin} --db ${db}`);
	await terminal.waitFor(shown);
	return terminal;
}
