import { randomUUID } from "node:crypto";
import {
	type Collection,
	type Configuration,
	emptyConfiguration,
} from "../domain/configuration.js";
import { isObject } from "../domain/json-text.js";
import { recordsOf } from "../domain/record-kind.js";
import { schedulerParametersForm } from "../domain/scheduler-parameters.js";
import { quoted } from "../domain/text.js";
import { describeProblem, type FieldProblem } from "../domain/validation.js";
import { decryptSecret, secretKeyPath } from "../store/secrets.js";
import { exportSections } from "./configuration-document.js";
import { parametersJson } from "./parameters.js";
import type { AnyRecordCommand } from "./record-command.js";
import { jsonToDraft } from "./record-json.js";

/** Everything import finds wrong, each as "<form> <name>: <field>: <message>". */
type Findings = { configuration: Configuration; problems: string[] };

/**
 * Checks one secret as stored: present, and sealed with the secret.key the
 * target database uses, so the client will be able to use it.
 */
async function secretProblem(
	databasePath: string,
	stored: unknown,
	field: string,
): Promise<string | null> {
	if (typeof stored !== "string" || stored === "")
		return `required: ${field}, the encrypted password cdx export writes`;
	try {
		await decryptSecret(databasePath, stored);
		return null;
	} catch (error) {
		const keyPath = secretKeyPath(databasePath);
		if ((error as NodeJS.ErrnoException).code === "ENOENT")
			return `cannot be decrypted: ${keyPath} does not exist; copy the secret.key of the database the file was exported from there`;
		// AES-GCM's authentication fails: sealed with another key.
		if ((error as Error).message.includes("unable to authenticate"))
			return `cannot be decrypted with ${keyPath}: it was encrypted with another secret.key; copy that one there`;
		return `cannot be decrypted: ${(error as Error).message}`;
	}
}

async function checkSection(
	entries: unknown[],
	command: AnyRecordCommand,
	collection: Collection,
	stored: Configuration,
	built: Configuration,
	databasePath: string,
): Promise<string[]> {
	const { kind } = command;
	const problems: string[] = [];
	const known = new Set([
		...Object.keys(command.json),
		...(command.carried ?? []),
		...(kind.secret ? [kind.secret.stored] : []),
	]);
	// A record keeps the id of the stored one with its name, so links to it and open editors follow.
	const storedIds = new Map(
		recordsOf(stored, collection).map((record) => [
			kind.nameOf(record).toLowerCase(),
			record.id,
		]),
	);
	const usedIds = new Set<string>();
	const idFor = (name: string) => {
		const id = storedIds.get(name.trim().toLowerCase());
		if (id === undefined || usedIds.has(id)) return randomUUID();
		usedIds.add(id);
		return id;
	};
	const records = recordsOf(built, collection);
	for (const [index, entry] of entries.entries()) {
		const named =
			isObject(entry) && typeof entry.name === "string" && entry.name.trim()
				? entry.name.trim()
				: `#${index + 1}`;
		const where = `${command.command} ${named}`;
		if (!isObject(entry)) {
			problems.push(`${where}: must be an object`);
			continue;
		}
		const found: FieldProblem[] = [];
		for (const key of Object.keys(entry))
			if (!known.has(key))
				found.push({ field: key, label: key, message: "unknown field" });
		const decoded = jsonToDraft(entry, command.json, kind.fields);
		found.push(...decoded.problems);
		const id = idFor(decoded.draft.name ?? "");
		// Passing the record's own id: its password is the stored secret, not one typed now.
		const validated = kind.validate(decoded.draft, built, id);
		if (!validated.ok)
			found.push(
				...validated.problems.filter(
					(problem) => !found.some((seen) => seen.field === problem.field),
				),
			);
		const fields: Record<string, unknown> = validated.ok
			? { ...(validated.value as Record<string, unknown>) }
			: { ...decoded.draft };
		if (kind.secret) {
			const { typed, stored: storedAs } = kind.secret;
			const message = await secretProblem(
				databasePath,
				entry[storedAs],
				storedAs,
			);
			const label =
				kind.fields.find((field) => field.key === typed)?.label ?? typed;
			if (message) found.push({ field: storedAs, label, message });
			delete fields[typed];
			fields[storedAs] = entry[storedAs];
		}
		for (const field of command.carried ?? []) {
			const value = entry[field];
			if (value === undefined || value === null) continue;
			if (typeof value === "string" && !Number.isNaN(Date.parse(value)))
				fields[field] = value;
			else
				found.push({
					field,
					label: field,
					message: "must be a date and time (ISO 8601) or null",
				});
		}
		problems.push(
			...found.map((problem) => `${where}: ${describeProblem(problem)}`),
		);
		// A refused record still takes its name, so records linking to it are
		// not refused again for a link that only fails because of it.
		records.push({
			...fields,
			id,
			version: 0,
			modifiedAt: "",
			modifiedBy: "",
		});
	}
	return problems;
}

/**
 * Builds the configuration FILE describes, checking every record on the way
 * and collecting every problem; nothing is written here.
 */
export async function checkImport(
	document: Record<string, unknown>,
	file: string,
	stored: Configuration,
	databasePath: string,
): Promise<Findings> {
	const built = emptyConfiguration();
	const problems: string[] = [];
	const sections = new Set([
		"format",
		"formatVersion",
		"parameters",
		...exportSections.map((section) => section.collection),
	]);
	for (const key of Object.keys(document))
		if (!sections.has(key))
			problems.push(`${file}: unknown section ${quoted(key)}`);
	for (const { collection, command } of exportSections) {
		const entries = document[collection];
		if (!Array.isArray(entries)) {
			problems.push(`${file}: ${quoted(collection)} must be a list`);
			continue;
		}
		problems.push(
			...(await checkSection(
				entries,
				command,
				collection,
				stored,
				built,
				databasePath,
			)),
		);
	}
	const parameters = document.parameters;
	if (!isObject(parameters)) {
		problems.push(`${file}: "parameters" must be an object`);
	} else {
		const found: FieldProblem[] = Object.keys(parameters)
			.filter((key) => !Object.hasOwn(parametersJson, key))
			.map((key) => ({ field: key, label: key, message: "unknown field" }));
		const decoded = jsonToDraft(
			parameters,
			parametersJson,
			schedulerParametersForm.fields,
		);
		found.push(...decoded.problems);
		const validated = schedulerParametersForm.validate(
			decoded.draft,
			built,
			built.parameters.id,
		);
		if (validated.ok)
			built.parameters = { ...built.parameters, ...validated.value };
		else
			found.push(
				...validated.problems.filter(
					(problem) => !found.some((seen) => seen.field === problem.field),
				),
			);
		problems.push(
			...found.map((problem) => `parameters: ${describeProblem(problem)}`),
		);
	}
	return { configuration: built, problems };
}
