import { useCallback, useEffect, useState } from "react";
import type { RequestAnswer } from "../../domain/client-state.js";
import { displayText } from "../../domain/text.js";
import type { ShowStatus } from "../status-message.js";

type Asked = { client: string; name: string; request: string };

/**
 * Follows one request to a client until the client answers it: `asked`
 * records it (the caller has said "asked …"), and the answer, once the
 * client's state carries it, replaces that on the status line: what was
 * done, or the refusal and its reason in red. `answersOf` reads a client's
 * latest answers; it is asked again whenever `refreshed` changes.
 */
export function useRequestAnswer(
	answersOf: (client: string) => readonly RequestAnswer[] | undefined,
	refreshed: unknown,
	onStatus: ShowStatus,
): (client: string, name: string, request: string) => void {
	const [asked, setAsked] = useState<Asked | null>(null);
	// biome-ignore lint/correctness/useExhaustiveDependencies: `refreshed` is when the answers may have changed
	useEffect(() => {
		if (asked === null) return;
		const answer = answersOf(asked.client)?.find(
			(candidate) => candidate.request === asked.request,
		);
		if (!answer) return;
		setAsked(null);
		onStatus(
			displayText(
				answer.ok
					? `${asked.name}'s client: ${answer.message}`
					: `${asked.name}'s client refused: ${answer.message}`,
			),
			answer.ok ? "success" : "error",
		);
	}, [asked, refreshed]);
	return useCallback(
		(client, name, request) => setAsked({ client, name, request }),
		[],
	);
}
