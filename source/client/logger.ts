import { appendFileSync } from "node:fs";
import { displayText } from "../domain/text.js";

export type Logger = {
	info(message: string): void;
	error(message: string): void;
};

/**
 * One line per event: time, level, channel database, message. To stderr, or
 * appended to a file (written synchronously, so the last line before a crash
 * is there). Messages never carry passwords or keys; control characters in
 * them (from file or record names) are made inert.
 */
export function createLogger(
	channelDatabase: string,
	file: string | undefined,
	now: () => Date = () => new Date(),
): Logger {
	const write = (level: string, message: string) => {
		const line = `${now().toISOString()} ${level} ${displayText(channelDatabase)}: ${displayText(message)}\n`;
		if (file === undefined) process.stderr.write(line);
		else {
			try {
				appendFileSync(file, line, { mode: 0o600 });
			} catch {
				process.stderr.write(line);
			}
		}
	};
	return {
		info: (message) => write("info", message),
		error: (message) => write("error", message),
	};
}
