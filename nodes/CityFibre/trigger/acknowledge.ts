/**
 * The answer to every request: a SOAP `receivedNotifyFaultReportUpdate`, written by the codec from
 * the catalogue's definition. ValidResponse echoes the notification's messageId with
 * ACK_VALID; the Rejected variant carries ACK_REJECTED and the reason in `errorMessage`.
 */
import { ACK_REJECTED, ACK_VALID, receivedNotifyFaultReportUpdate } from '../catalogue';
import { fillAutoValues, writeMessage } from '../codec';
import type { Refusal } from './refusals';

export const ACK_CONTENT_TYPE = 'text/xml; charset=utf-8';

export interface AckContext {
	/** Our buyer identifier; empty when the node is not configured (then left out). */
	buyerIdentifier: string;
	apiVersion: string;
	now: Date;
}

export interface HttpAnswer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** How refusals are answered at the HTTP level; the SOAP body says Rejected either way. */
export type RefusalHttpStatus = 'matching' | 'always200';

function ack(values: { messageId?: string; responseCode: string; errorMessage?: string }, context: AckContext): string {
	// An unknown messageId is left out rather than invented: the ack must echo, not make one up.
	const filled = fillAutoValues(receivedNotifyFaultReportUpdate, values, {
		buyerIdentifier: context.buyerIdentifier,
		apiVersion: context.apiVersion,
		messageId: values.messageId ?? '',
		now: context.now,
	});
	return writeMessage(receivedNotifyFaultReportUpdate, filled);
}

function answer(status: number, body: string, extraHeaders: Record<string, string> = {}): HttpAnswer {
	return {
		status,
		headers: { 'Content-Type': ACK_CONTENT_TYPE, 'Cache-Control': 'no-store', ...extraHeaders },
		body,
	};
}

export function validAcknowledgement(messageId: string, context: AckContext): HttpAnswer {
	return answer(200, ack({ messageId, responseCode: ACK_VALID }, context));
}

export function rejectedAcknowledgement(refused: Refusal, context: AckContext, httpStatus: RefusalHttpStatus): HttpAnswer {
	const body = ack({ messageId: refused.messageId, responseCode: ACK_REJECTED, errorMessage: refused.reason }, context);
	if (httpStatus === 'always200') return answer(200, body);
	// Basic-auth clients send credentials only after a challenge.
	const challenge: Record<string, string> =
		refused.code === 'credentialsMissing' ? { 'WWW-Authenticate': 'Basic realm="CityFibre notifications"' } : {};
	return answer(refused.httpStatus, body, challenge);
}
