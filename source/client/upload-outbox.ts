import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isObject, parseJson } from "../domain/json-text.js";
import { schemasProblem, tablesProblem } from "../domain/package-format.js";
import type { PackageSchemas } from "../domain/table-schema.js";
import {
	forgetMovedFile,
	importedButNotMoved,
	importOutboxFile,
	type OutboxContent,
} from "./channel-data/outbox-import.js";
import { moveDurably, readTextIfPresent } from "./files.js";
import type { UploadContext } from "./upload-cycle.js";

function outboxContent(
	text: string,
): { ok: true; content: OutboxContent } | { ok: false; problem: string } {
	const parsed = parseJson(text);
	if (!parsed.ok) return parsed;
	if (!isObject(parsed.value))
		return { ok: false, problem: `must be an object {"tables": {...}}` };
	const { tables, schemas } = parsed.value;
	const problem =
		schemasProblem(schemas, tables) ??
		tablesProblem(tables, schemas as PackageSchemas | undefined);
	if (problem !== null) return { ok: false, problem };
	return { ok: true, content: parsed.value as OutboxContent };
}

/**
 * Imports every complete outbox file, oldest name first, and moves it to
 * outbox/sent/. A file that can never be imported (not JSON, rows that do
 * not fit the tables) moves to outbox/rejected/ with a reason file.
 */
export async function importOutbox(context: UploadContext): Promise<string[]> {
	const { store } = context;
	const rejected: string[] = [];
	const names = await store.outboxFiles();
	for (const [index, name] of names.entries()) {
		if (context.signal.aborted) break;
		context.progress(
			`importing outbox file ${name}`,
			index,
			names.length,
			"outbox files",
		);
		const source = join(store.outboxFolder, name);
		const text = await readTextIfPresent(source);
		if (text === null) continue;
		const file = {
			name,
			checksum: createHash("sha256").update(text).digest("hex"),
		};
		if (!(await importedButNotMoved(store.engine, file))) {
			const parsed = outboxContent(text);
			const problem = parsed.ok
				? await importOrProblem(context, file, parsed.content)
				: parsed.problem;
			if (problem !== null) {
				rejected.push(await reject(context, name, problem));
				continue;
			}
			await context.checkpoint?.("outbox-imported");
		}
		await moveDurably(source, join(store.sentFolder, name));
		await forgetMovedFile(store.engine, name);
	}
	return rejected;
}

/** Null once imported; the reason when the rows do not fit. A database error (a full disk) fails the run. */
async function importOrProblem(
	context: UploadContext,
	file: { name: string; checksum: string },
	content: OutboxContent,
): Promise<string | null> {
	try {
		await importOutboxFile(context.store.engine, file, content);
		return null;
	} catch (error) {
		if (typeof (error as { code?: unknown }).code === "string") throw error;
		return (error as Error).message;
	}
}

async function reject(
	context: UploadContext,
	name: string,
	problem: string,
): Promise<string> {
	const { store } = context;
	const target = join(store.rejectedFolder, name);
	await moveDurably(join(store.outboxFolder, name), target);
	await writeFile(
		`${target}.reason.txt`,
		`${context.now().toISOString()} ${problem}\n`,
	);
	context.log.error(`upload: outbox file ${name} rejected: ${problem}`);
	return `outbox file ${name} rejected: ${problem}; moved to ${target}`;
}
