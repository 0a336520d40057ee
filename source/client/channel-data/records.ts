import { isObject, parseJson } from "../../domain/json-text.js";
import type { EngineReader } from "./engine.js";

/** One of the client's own records (JSON in the channel database), or null when never set. */
export async function readRecord<T>(
	reader: EngineReader,
	name: string,
): Promise<T | null> {
	const text = await reader.record(name);
	if (text === null) return null;
	const parsed = parseJson(text);
	if (!parsed.ok || !isObject(parsed.value))
		throw new Error(
			`the client's record ${name} in the channel database is not readable`,
		);
	return parsed.value as T;
}
