import { useCallback, useRef, useState } from "react";
import type { Collection } from "../../domain/configuration.js";
import { type FormEntry, formForCollection } from "../navigation.js";

/** An open form. Following a link opens another on top; Esc goes back down. */
export type OpenForm = { form: FormEntry; initialName?: string; key: number };

/**
 * The stack of open forms: opening one from the tree or the go-to prompt
 * replaces the stack, following a link puts one on top, going back takes
 * the top one off and remembers the last form left for the tree.
 */
export function useOpenForms(onFollowed: (form: OpenForm) => void) {
	const [stack, setStack] = useState<OpenForm[]>([]);
	const [lastFormId, setLastFormId] = useState<string | null>(null);
	const nextKey = useRef(0);
	const open = useCallback((form: FormEntry) => {
		setStack([{ form, key: nextKey.current++ }]);
	}, []);
	const follow = useCallback(
		(collection: Collection, name: string) => {
			const form = formForCollection(collection);
			if (!form) return;
			const entry = { form, initialName: name, key: nextKey.current++ };
			setStack((before) => [...before, entry]);
			onFollowed(entry);
		},
		[onFollowed],
	);
	const back = useCallback(() => {
		setStack((before) => {
			const leaving = before.at(-1);
			if (before.length === 1 && leaving) setLastFormId(leaving.form.id);
			return before.slice(0, -1);
		});
	}, []);
	return { stack, top: stack.at(-1), lastFormId, open, follow, back };
}
