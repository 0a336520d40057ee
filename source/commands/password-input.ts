import { createInterface } from "node:readline";
import { commandContext } from "./command-context.js";
import { UsageError } from "./command-line.js";

const enter = new Set(["\r", "\n", "\u0004"]);
const backspace = new Set(["\u007F", "\b"]);

/** At a terminal: asks on stderr and reads one line without echoing it. */
function readHiddenLine(): Promise<string> {
	const { stdin, stderr } = commandContext();
	stderr.write("Password: ");
	stdin.setRawMode?.(true);
	stdin.setEncoding("utf8");
	stdin.resume();
	let typed = "";
	return new Promise((resolve, reject) => {
		const finish = (error?: Error) => {
			stdin.off("data", onData);
			stdin.setRawMode?.(false);
			stdin.pause();
			stderr.write("\n");
			if (error) reject(error);
			else resolve(typed);
		};
		const onData = (chunk: string) => {
			for (const character of chunk) {
				if (character === "\u0003")
					return finish(new UsageError("no password given (Ctrl+C)"));
				if (enter.has(character)) return finish();
				if (backspace.has(character)) typed = [...typed].slice(0, -1).join("");
				else typed += character;
			}
		};
		stdin.on("data", onData);
	});
}

/** Piped: the first line of standard input, without its line ending; "" when there is none. */
async function readFirstLine(): Promise<string> {
	const lines = createInterface({
		input: commandContext().stdin,
		crlfDelay: Infinity,
	});
	try {
		for await (const line of lines) return line;
		return "";
	} finally {
		lines.close();
	}
}

/**
 * The password for --password-stdin: one line from standard input. Never an
 * argument: arguments show in the process list and the shell's history.
 */
export function readPasswordFromStdin(): Promise<string> {
	return commandContext().stdin.isTTY ? readHiddenLine() : readFirstLine();
}
