/**
 * One delivery, start to finish: inbound checks → exact bytes → classify → de-duplicate →
 * acknowledge → summarise. Pure apart from reading the body: the node file gathers the settings,
 * writes the answer and the log line, and hands the item to n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import type { XmlLimits } from '../codec';
import type { AckContext, HttpAnswer, RefusalHttpStatus } from './acknowledge';
import { rejectedAcknowledgement, validAcknowledgement } from './acknowledge';
import { classifyNotification } from './classify';
import type { RecentMessages } from './dedupe';
import type { InboundRequestMeta, InboundSecurity } from './inboundAuth';
import { checkInbound } from './inboundAuth';
import { BodyUnavailableError, checkContentType, decodeBody } from './readBody';
import type { Refusal } from './refusals';
import { refusal } from './refusals';
import { dedupeKey, summarise } from './summarise';

export interface TriggerSettings {
	buyerIdentifier: string;
	apiVersion: string;
	/** Which events start the workflow; every notification is acknowledged regardless. */
	events: 'all' | ReadonlySet<string>;
	security: InboundSecurity;
	includeRawXml: boolean;
	refusalHttpStatus: RefusalHttpStatus;
	/** 0 turns the in-process memory off. */
	repeatWindowMinutes: number;
	limits?: Partial<XmlLimits>;
}

export interface Delivery {
	request: InboundRequestMeta;
	readBody: () => Promise<Buffer>;
}

export interface ReceiveContext {
	now: Date;
	/** This node's memory of recent messageIds; absent where repeats must still run (test mode). */
	memory?: RecentMessages;
}

export type Outcome =
	| { kind: 'started'; answer: HttpAnswer; messageId: string; events: string[]; item: IDataObject }
	| { kind: 'filtered'; answer: HttpAnswer; messageId: string; events: string[] }
	| { kind: 'repeat'; answer: HttpAnswer; messageId: string; events: string[] }
	| { kind: 'refused'; answer: HttpAnswer; refusal: Refusal };

export function refused(reason: Refusal, context: AckContext, httpStatus: RefusalHttpStatus): Outcome {
	return { kind: 'refused', answer: rejectedAcknowledgement(reason, context, httpStatus), refusal: reason };
}

function unreadableBody(error: unknown): Refusal {
	if (error instanceof BodyUnavailableError) {
		return refusal('internal', 500, 'The receiver failed to process the notification', error.message);
	}
	const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
	if (status === 413) {
		return refusal('tooLarge', 413, 'Message refused: the body is larger than this receiver accepts', 'Body exceeds n8n\'s payload limit');
	}
	return refusal('malformedXml', 400, 'Message refused: the body could not be read', `Body could not be read: ${(error as Error)?.message ?? 'unknown error'}`);
}

function isRefusal(value: Buffer | string | Refusal): value is Refusal {
	return typeof value === 'object' && !Buffer.isBuffer(value);
}

function startsWorkflow(events: readonly string[], wanted: TriggerSettings['events']): boolean {
	return wanted === 'all' || events.some((e) => wanted.has(e));
}

export async function receive(delivery: Delivery, settings: TriggerSettings, context: ReceiveContext): Promise<Outcome> {
	const ack: AckContext = { buyerIdentifier: settings.buyerIdentifier, apiVersion: settings.apiVersion, now: context.now };
	const refuse = (reason: Refusal) => refused(reason, ack, settings.refusalHttpStatus);

	const denied = checkInbound(delivery.request, settings.security) ?? checkContentType(delivery.request.headers);
	if (denied) return refuse(denied);

	let bytes: Buffer;
	try {
		bytes = await delivery.readBody();
	} catch (error) {
		return refuse(unreadableBody(error));
	}

	const document = decodeBody(bytes, delivery.request.headers);
	if (isRefusal(document)) return refuse(document);

	const classified = classifyNotification(document, settings.buyerIdentifier, settings.limits);
	if ('code' in classified) return refuse(classified);
	const { messageId, events } = classified;
	const answer = validAcknowledgement(messageId, ack);

	// Synchronous from the check to the record: no other delivery can interleave here.
	const windowMs = settings.repeatWindowMinutes * 60_000;
	// Remembered by buyer and messageId (the item's dedupeKey): one node re-pointed at another buyer
	// identifier must not take that buyer's messages for repeats of the previous one's.
	const key = dedupeKey(settings.buyerIdentifier, messageId);
	if (context.memory && windowMs > 0 && context.memory.checkAndRecord(key, context.now.getTime(), windowMs) === 'repeat') {
		return { kind: 'repeat', answer, messageId, events };
	}
	if (!startsWorkflow(events, settings.events)) return { kind: 'filtered', answer, messageId, events };

	const item = summarise(classified, {
		buyerIdentifier: settings.buyerIdentifier,
		rawXml: settings.includeRawXml ? document.toString('utf8') : undefined,
	});
	return { kind: 'started', answer, messageId, events, item };
}
