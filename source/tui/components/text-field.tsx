import { type Key, useInput } from "ink";
import TextInput from "ink-text-input";
import { type RefObject, useCallback, useRef } from "react";
import { hasUnsafeCharacters } from "../../domain/text.js";

type Props = {
	value: string;
	onChange: (value: string) => void;
	focus: boolean;
	mask?: string;
};

type GuardProps = { focus: boolean; lastWasCommand: RefObject<boolean> };

// ink-text-input types the letter of Ctrl+S, Ctrl+N … into the field. This
// listener renders as the input's earlier sibling and its handler never
// changes, so it is subscribed before the input's own and marks such a key
// press before the input reports the change.
function CommandKeyGuard({ focus, lastWasCommand }: GuardProps) {
	const watch = useCallback(
		(_input: string, key: Key) => {
			lastWasCommand.current = key.ctrl || key.meta;
		},
		[lastWasCommand],
	);
	useInput(watch, { isActive: focus });
	return null;
}

/** A one-line text input that never takes control keys or control characters. */
export function TextField({ value, onChange, focus, mask }: Props) {
	const lastWasCommand = useRef(false);
	const accept = useCallback(
		(next: string) => {
			if (lastWasCommand.current || hasUnsafeCharacters(next)) return;
			onChange(next);
		},
		[onChange],
	);
	return (
		<>
			<CommandKeyGuard focus={focus} lastWasCommand={lastWasCommand} />
			<TextInput
				value={value}
				onChange={accept}
				focus={focus}
				showCursor={focus}
				{...(mask === undefined ? {} : { mask })}
			/>
		</>
	);
}
