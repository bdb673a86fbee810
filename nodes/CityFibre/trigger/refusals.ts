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

/** Longest reason or detail kept: a refusal names a rule, it never carries a document. */
export const MAX_REFUSAL_TEXT = 300;

/**
 * Control characters (line breaks too), U+FFFE/U+FFFF and unpaired surrogates: a reason holding
 * one could not be written into the Rejected acknowledgement, and a detail holding a line break
 * could forge a line in n8n's log. Codec messages can quote a tag name from the body, so both are
 * cleaned here, whatever produced them.
 */
const UNSAFE_TEXT = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` safe to write into the acknowledgement and a log line: one line, bounded, XML-legal. */
export function refusalText(text: string, max = MAX_REFUSAL_TEXT): string {
	const clean = text.replace(UNSAFE_TEXT, '?');
	if (clean.length <= max) return clean;
	// Never cut a surrogate pair in two.
	const cut = /[\uD800-\uDBFF]/.test(clean[max - 1]) ? max - 1 : max;
	return `${clean.slice(0, cut)}…`;
}

export function refusal(code: RefusalCode, httpStatus: number, reason: string, detail: string, messageId?: string): Refusal {
	const texts = { reason: refusalText(reason), detail: refusalText(detail) };
	return messageId === undefined ? { code, httpStatus, ...texts } : { code, httpStatus, ...texts, messageId };
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
