import { basename, join } from "node:path";
import type { ClientLinks } from "../domain/client-links.js";
import type { Direction } from "../domain/profile-schedule.js";
import { canCancel, canRetry } from "../domain/session-actions.js";
import type { SessionEvent } from "../domain/session-events.js";
import {
	type ChannelDataStore,
	emptyGroupProgress,
	type GroupProgress,
} from "./channel-store.js";
import { downloadGroupFolder } from "./client-paths.js";
import { downloadSessionId } from "./download-order.js";
import { fileExists } from "./files.js";
import type { Logger } from "./logger.js";
import type { SessionLog } from "./session-log.js";
import type {
	SessionRequest,
	SessionRequests,
	SkipRequest,
} from "./session-requests.js";
import type { StatePublisher } from "./state-publisher.js";

export type SessionRequestContext = {
	requests: SessionRequests;
	sessions: SessionLog;
	store: ChannelDataStore;
	/** The configuration as it is now. */
	links: () => ClientLinks;
	now: () => Date;
	log: Logger;
	/** Where the answers go, so whoever asked sees what came of it. */
	publisher: Pick<StatePublisher, "answer">;
};

/** What came of one request: done (maybe with a run to start now), or refused with the reason. */
type Outcome =
	| { ok: true; done: string; run: Direction | null }
	| { ok: false; refused: string };

const refused = (reason: string): Outcome => ({ ok: false, refused: reason });

/**
 * Acts on every waiting retry or cancel request, records what was done as a
 * session event, a log line and an answer in the state file, and removes
 * the request. A request that cannot be carried out (unknown session, a
 * state that does not allow it) is refused: logged at error, answered with
 * the reason, removed, and it changes nothing. Called between runs only: the
 * download progress it edits is the one a run reads and writes.
 * Returns the directions that should run now.
 */
export async function handleSessionRequests(
	context: SessionRequestContext,
): Promise<Direction[]> {
	const runs = new Set<Direction>();
	for (const waiting of await context.requests.waiting()) {
		const name = basename(waiting.file);
		const request = waiting.ok ? waiting.request : null;
		const answer = (ok: boolean, message: string) =>
			context.publisher.answer({
				request: request?.id ?? name,
				action: request?.action ?? "retry",
				ok,
				message,
			});
		try {
			if (!waiting.ok) {
				context.log.error(
					`session request ${name} ignored: ${waiting.problem}`,
				);
				answer(false, `request ${name} cannot be read: ${waiting.problem}`);
			} else {
				const { request } = waiting;
				const what = `${request.action} of ${request.action === "skip" ? `package ${request.sequence}` : `session ${request.sessionId}`} (asked by ${request.requestedBy} at ${request.requestedAt})`;
				const outcome = await actOn(request, context);
				if (!outcome.ok) {
					context.log.error(`refused the ${what}: ${outcome.refused}`);
					answer(false, `${request.action} refused: ${outcome.refused}`);
				} else {
					context.log.info(`${what}: ${outcome.done}`);
					answer(true, `${request.action} done: ${outcome.done}`);
					if (outcome.run !== null) runs.add(outcome.run);
				}
			}
		} catch (error) {
			const message = (error as Error).message;
			context.log.error(`session request ${name} not carried out: ${message}`);
			answer(false, `not carried out: ${message}`);
		}
		try {
			await context.requests.remove(waiting.file);
		} catch (error) {
			context.log.error(
				`cannot remove session request ${name} (${(error as Error).message}); ignoring it until the client restarts`,
			);
		}
	}
	return [...runs];
}

async function actOn(
	request: SessionRequest | SkipRequest,
	context: SessionRequestContext,
): Promise<Outcome> {
	if (request.action === "skip") return skipDownload(request, context);
	const session = context.sessions.latest(request.sessionId);
	if (session === undefined)
		return refused("this channel database has no such session");
	if (request.action === "retry") {
		if (!canRetry(session))
			return refused(
				`only a failed session can be retried; this one is ${session.status}`,
			);
		return session.direction === "download"
			? retryDownload(session, context)
			: retryUpload(session, context);
	}
	if (!canCancel(session))
		return refused(
			session.direction === "upload"
				? "an upload cannot be canceled: its data would be lost; retry it instead"
				: `only a waiting or failed session can be canceled; this one is ${session.status}`,
		);
	return cancelDownload(session, request, context);
}

/** The client's data group's download progress, to change in place and `save`. */
async function groupProgress(context: SessionRequestContext) {
	const links = context.links();
	const dataGroup = links.dataGroup.name;
	const progress = await context.store.readProgress();
	const group: GroupProgress = {
		...emptyGroupProgress(),
		...progress.groups[dataGroup],
	};
	const save = () =>
		context.store.writeProgress({
			...progress,
			groups: { ...progress.groups, [dataGroup]: group },
		});
	return { links, dataGroup, group, save };
}

/** The data group's progress, and whether `session` is about a package still ahead of it. */
async function downloadPlace(
	session: SessionEvent,
	context: SessionRequestContext,
) {
	const { links, dataGroup, group, save } = await groupProgress(context);
	const name = basename(session.package);
	const folder = downloadGroupFolder(
		links.workingFolders.downloadPath,
		dataGroup,
	);
	const current =
		session.id ===
		downloadSessionId(dataGroup, session.sequence, group.generation);
	const ahead = current && session.sequence > group.sequence;
	return {
		group,
		name,
		folder,
		file: join(folder, name),
		save,
		current,
		ahead,
	};
}

async function retryDownload(
	session: SessionEvent,
	context: SessionRequestContext,
): Promise<Outcome> {
	const place = await downloadPlace(session, context);
	if (!place.current)
		return refused(
			"it belongs to an earlier full data sync or another data group; request a full data sync to apply its package again",
		);
	if (!place.ahead)
		return refused(
			`sequence ${session.sequence} is not after the last applied sequence ${place.group.sequence}: later packages were applied since`,
		);
	if (!(await fileExists(place.file)))
		return refused(
			`${place.name} is not in ${place.folder} (set aside in quarantine/, or removed); put it back there to retry it`,
		);
	delete place.group.attempts[place.name];
	delete place.group.setAside[place.name];
	await place.save();
	await record(session, context, {
		status: "Available",
		tries: 0,
		error: null,
		finishedAt: null,
	});
	return {
		ok: true,
		done: `${place.name}: its tries start over; downloading now`,
		run: "download",
	};
}

/**
 * Cancel on the Download sessions screen (confirmed there) is an operator's
 * skip: the package is passed over when the data group reaches it, and
 * the packages after it go ahead.
 */
async function cancelDownload(
	session: SessionEvent,
	request: SessionRequest,
	context: SessionRequestContext,
): Promise<Outcome> {
	const place = await downloadPlace(session, context);
	if (place.ahead) {
		planSkip(
			place.group,
			session.sequence,
			request,
			"canceled on the Download sessions screen",
		);
		await place.save();
		return {
			ok: true,
			done: `package ${session.sequence} is skipped for this channel database; later packages go ahead, downloading now`,
			run: "download",
		};
	}
	const now = context.now().toISOString();
	await record(session, context, {
		status: "Canceled",
		finishedAt: now,
		error: `canceled by ${request.requestedBy} at ${request.requestedAt}${session.error === null ? "" : ` (was: ${session.error})`}`,
	});
	return {
		ok: true,
		done: `${place.name} no longer holds anything up; marked Canceled`,
		run: null,
	};
}

function planSkip(
	group: GroupProgress,
	sequence: number,
	request: { requestedBy: string; requestedAt: string },
	reason: string,
): void {
	group.skips = {
		...group.skips,
		[String(sequence)]: {
			requestedBy: request.requestedBy,
			requestedAt: request.requestedAt,
			reason,
		},
	};
}

/** `cdx package skip`: the package is passed over, unapplied, once the data group reaches it. */
async function skipDownload(
	request: SkipRequest,
	context: SessionRequestContext,
): Promise<Outcome> {
	const { dataGroup, group, save } = await groupProgress(context);
	if (request.sequence <= group.sequence)
		return refused(
			`package ${request.sequence} of ${dataGroup} is not after the last applied sequence ${group.sequence}: nothing to skip`,
		);
	planSkip(group, request.sequence, request, request.reason);
	await save();
	return {
		ok: true,
		done: `package ${request.sequence} of ${dataGroup} is skipped when the data group reaches it; downloading now`,
		run: "download",
	};
}

async function retryUpload(
	session: SessionEvent,
	context: SessionRequestContext,
): Promise<Outcome> {
	const journal = await context.store.readUploadJournal();
	if (journal.pending?.sequence !== session.sequence)
		return refused(
			`upload package ${session.sequence} is not waiting to be uploaded (last uploaded: ${journal.lastSequence})`,
		);
	await record(session, context, { status: "Available", error: null });
	return { ok: true, done: "uploading now", run: "upload" };
}

function record(
	session: SessionEvent,
	context: SessionRequestContext,
	fields: Partial<SessionEvent> & Pick<SessionEvent, "status">,
): Promise<void> {
	return context.sessions.record({
		...session,
		at: context.now().toISOString(),
		...fields,
	} as SessionEvent);
}
