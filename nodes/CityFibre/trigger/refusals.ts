/**
 * Why the trigger refuses a request. Every refusal is answered with a SOAP
 * `receivedNotifyFaultReportUpdate` of the Rejected variant and recorded in n8n's log; the
 * `reason` goes to the caller, the `detail` only to the log. Neither ever holds a secret or
 * quotes the request body.
 */

export type RefusalCode =
	| 'addressNotAllowed'
	| 'credentialsMissing'
	| 'credentialsWrong'
	| 'headerMissing'
	| 'headerWrong'
	| 'contentType'
	| 'tooLarge'
	| 'unsafeXml'
	| 'malformedXml'
	| 'notNotification'
	| 'messageIdMissing'
	| 'buyerIdentifierMissing'
	| 'buyerIdentifierWrong'
	| 'notConfigured'
	| 'internal';

export interface Refusal {
	code: RefusalCode;
	/** The HTTP status that matches the problem (used unless the node is set to always answer 200). */
	httpStatus: number;
	/** Sent to the caller in `errorMessage`: says what to fix, never how a check works inside. */
	reason: string;
	/** For n8n's log only: which check failed and on what, without secrets or body content. */
	detail: string;
	/** The notification's messageId, when it could be read, so the rejection can echo it. */
	messageId?: string;
}

/** What the caller is told about any failed inbound check: which check failed stays in the log. */
export const AUTHENTICATION_FAILED = 'Authentication failed';

const AUTH_CODES: ReadonlySet<RefusalCode> = new Set([
	'addressNotAllowed',
	'credentialsMissing',
	'credentialsWrong',
	'headerMissing',
	'headerWrong',
]);

export function isAuthenticationRefusal(refusal: Refusal): boolean {
	return AUTH_CODES.has(refusal.code);
}

export function refusal(code: RefusalCode, httpStatus: number, reason: string, detail: string, messageId?: string): Refusal {
	return messageId === undefined ? { code, httpStatus, reason, detail } : { code, httpStatus, reason, detail, messageId };
}

/** An inbound check failed: the caller learns only that authentication failed. */
export function authenticationRefusal(code: RefusalCode, detail: string): Refusal {
	const httpStatus = code === 'credentialsMissing' ? 401 : 403;
	return refusal(code, httpStatus, AUTHENTICATION_FAILED, detail);
}

/**
 * The node's own settings are unusable (no buyer identifier, a broken allow-list entry, a missing
 * credential). Answered 500 so that CityFibre treats it as the receiver's fault and may retry.
 */
export class TriggerConfigError extends Error {
	readonly name = 'TriggerConfigError';
}

export function notConfigured(error: TriggerConfigError): Refusal {
	return refusal('notConfigured', 500, 'The receiver is not configured to accept notifications yet', error.message);
}

/** Quotes a value a caller sent, for a log line or a reason: short, printable, never markup. */
export function quote(value: string, max = 64): string {
	const printable = value.replace(/[^\x20-\x7e]/g, '?').replace(/[<>&"']/g, '?');
	return `'${printable.length > max ? `${printable.slice(0, max)}…` : printable}'`;
}
