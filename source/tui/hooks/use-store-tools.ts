import { useState } from "react";
import type { CheckResult } from "../../domain/channel-database-checks.js";
import type { SaveOutcome } from "../../domain/record-changes.js";
import type { Draft, FormDescription } from "../../domain/record-kind.js";
import { quoted } from "../../domain/text.js";
import { useChannelDatabaseTools } from "../channel-database-tools.js";

/** A store test shown over the form: null results while it runs. */
export type StoreTestView = {
	title: string;
	results: CheckResult[] | null;
	problem: string | null;
};

type NamedRecord = { id: string; name: string };

type Refused = Extract<SaveOutcome<never>, { ok: false }>;

/**
 * The Channel database form's store tools (ChannelDatabaseToolsContext):
 * the test of `cdx channel-db test` on the record as saved, and the guard
 * of `cdx channel-db set` on a save that changes where its data is.
 */
export function useStoreTools(
	kind: FormDescription<unknown>,
	keepsStore: boolean,
) {
	const tools = useChannelDatabaseTools();
	const [shown, setShown] = useState<StoreTestView | null>(null);

	const run = (record: NamedRecord) => {
		const title = `Test of ${kind.title} ${quoted(record.name)}`;
		setShown({ title, results: null, problem: null });
		const update = (change: Partial<StoreTestView>) =>
			setShown((current) =>
				current?.title === title ? { ...current, ...change } : current,
			);
		tools.test(record.id).then(
			(results) => update({ results }),
			(error: Error) => update({ problem: error.message }),
		);
	};

	/** Why the save of `draft` on record `id` is refused, as a save outcome; null when it may go ahead. */
	const refuseStoreChange = async (
		draft: Draft,
		id: string,
	): Promise<Refused | null> => {
		if (!keepsStore) return null;
		let refusal: string | null;
		try {
			refusal = await tools.storeChangeRefusal(id, {
				serverName: (draft.serverName ?? "").trim(),
				databaseName: (draft.databaseName ?? "").trim(),
			});
		} catch (error) {
			return {
				ok: false,
				reason: "write-failed",
				message: `Not saved: where its data is could not be checked: ${(error as Error).message}`,
			};
		}
		if (refusal === null) return null;
		const field = kind.fields.find(({ key }) => key === "serverName");
		return {
			ok: false,
			reason: "invalid",
			problems: [
				{
					field: "serverName",
					label: field?.label ?? "serverName",
					message: refusal,
				},
			],
		};
	};

	return {
		shown,
		close: () => setShown(null),
		refuseStoreChange,
		/** The form's ^T: the saved record's test, or why a new one has none yet. */
		testFor: (record: NamedRecord | null) => ({
			run: () => {
				if (record) run(record);
			},
			disabledReason: record
				? null
				: `Save the ${kind.title} first: the test checks it as saved`,
		}),
	};
}
