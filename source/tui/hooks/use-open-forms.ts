import { useCallback, useRef, useState } from "react";
import type { Collection, Configuration } from "../../domain/configuration.js";
import { openingMinimumRows } from "../components/open-form-screen.js";
import { type FormEntry, formForCollection } from "../navigation.js";
import type { ScreenChannel } from "../screen-context.js";

/** An open form. Following a link opens another on top; Esc goes back down. */
export type OpenForm = { form: FormEntry; initialName?: string; key: number };

/**
 * The stack of open forms: opening one from the tree or the go-to prompt
 * replaces the stack, following a link puts one on top, going back takes
 * the top one off and remembers the last form left for the tree. Each
 * change tells the shell the lines the form coming to the front needs
 * (`opening`), so the frame that first shows it is laid out for them.
 */
export function useOpenForms(
	onFollowed: (form: OpenForm) => void,
	{
		configuration,
		opening,
		frontMinimum,
	}: {
		configuration: Configuration;
		opening: ScreenChannel["opening"];
		/** The minimum the form in front gave last. */
		frontMinimum: number;
	},
) {
	const [stack, setStack] = useState<OpenForm[]>([]);
	const [lastFormId, setLastFormId] = useState<string | null>(null);
	const nextKey = useRef(0);
	// Each open form's minimum as it last gave it, for the frame that shows it again.
	const minimums = useRef(new Map<number, number>());
	const top = stack.at(-1);
	if (top) minimums.current.set(top.key, frontMinimum);
	const latestConfiguration = useRef(configuration);
	latestConfiguration.current = configuration;
	const open = useCallback(
		(form: FormEntry) => {
			minimums.current.clear();
			opening(openingMinimumRows(form, latestConfiguration.current));
			setStack([{ form, key: nextKey.current++ }]);
		},
		[opening],
	);
	const follow = useCallback(
		(collection: Collection, name: string) => {
			const form = formForCollection(collection);
			if (!form) return;
			opening(openingMinimumRows(form, latestConfiguration.current));
			const entry = { form, initialName: name, key: nextKey.current++ };
			setStack((before) => [...before, entry]);
			onFollowed(entry);
		},
		[onFollowed, opening],
	);
	const back = useCallback(() => {
		const below = stack.at(-2);
		const minimum = below && minimums.current.get(below.key);
		if (minimum !== undefined) opening(minimum);
		setStack((before) => {
			const leaving = before.at(-1);
			if (before.length === 1 && leaving) setLastFormId(leaving.form.id);
			return before.slice(0, -1);
		});
	}, [stack, opening]);
	return { stack, top, lastFormId, open, follow, back };
}
