/**
 * The transport's one error type, and the translation of Node's TLS and socket errors into plain
 * words. An error carries what CityFibre said (code, message, detail, the XML exchanged) so a
 * workflow can route on it, and never any credential material.
 */
import type { ReadMessage, ValidationIssue } from '../codec';
import type { ConnectionOutcome } from './outcomes';
import { OUTCOME_HINTS } from './outcomes';
import { ProxyTunnelError } from './proxy';
import { TlsMaterialError } from './tlsMaterial';

export type CityFibreErrorKind = 'validation' | 'rejected' | 'business' | 'fault' | 'http' | 'tls' | 'network' | 'timeout' | 'malformed';

/** What a CityFibreError may carry besides its kind and message. Never credentials. */
export interface CityFibreErrorFields {
	/** CityFibre's code (responseCode, faultcode); for TLS and network kinds, the outcome. */
	code?: string;
	detail?: string;
	httpStatus?: number;
	messageId?: string;
	operation?: string;
	/** For kind `validation`: each names the field path. */
	issues?: ValidationIssue[];
	requestXml?: string;
	responseXml?: string;
	response?: ReadMessage;
	/** For TLS and network kinds: the same outcome the credential test reports. */
	outcome?: ConnectionOutcome;
	/** What the user can do about it, in plain words. */
	hint?: string;
	url?: string;
	/** How many times the request was sent (0 = never, 1 = no retry). */
	attempts?: number;
}

// The class carries the fields above (declaration merging keeps one list of them).
export interface CityFibreError extends CityFibreErrorFields {}

export class CityFibreError extends Error {
	readonly name = 'CityFibreError';

	constructor(
		readonly kind: CityFibreErrorKind,
		message: string,
		fields: CityFibreErrorFields = {},
	) {
		super(message);
		for (const [key, value] of Object.entries(fields)) if (value !== undefined) (this as Record<string, unknown>)[key] = value;
	}
}

/** A translated TLS/network problem: the outcome, its kind and a sentence. */
export interface Translation {
	kind: 'tls' | 'network' | 'timeout';
	outcome: ConnectionOutcome;
	message: string;
	/** The low-level reason (Node error code / OpenSSL reason), for support. */
	detail?: string;
}

/** Raised by the transport's own timer; carries no socket detail. */
export class RequestTimeoutError extends Error {
	readonly name = 'RequestTimeoutError';
	readonly code = 'ETIMEDOUT';
}

const SERVER_NOT_TRUSTED = new Set([
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'CERT_UNTRUSTED',
	'CERT_SIGNATURE_FAILURE',
	'CERT_REVOKED',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'INVALID_CA',
	'CERT_REJECTED',
]);

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** Alerts a server sends when it does not accept the client certificate. */
const REFUSAL_ALERT = /alert (unknown ca|bad certificate|certificate required|certificate expired|certificate unknown|certificate revoked|unsupported certificate|access denied|handshake failure)|peer did not return a certificate/i;

function codeOf(error: unknown): string | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return typeof code === 'string' ? code : undefined;
}

function reasonOf(error: unknown): string {
	// Duck-typed: errors from Node's core may come from another realm (vm contexts, test runners).
	const message = typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
	// OpenSSL's "error:0A000418:SSL routines::tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1605:SSL alert number 48"
	// → "tlsv1 alert unknown ca".
	return message
		.replace(/^error:[0-9A-F]+:[^:]*:+/i, '')
		.replace(/:[^:]*\.c:\d+/g, '')
		.replace(/:SSL alert number \d+\s*$/i, '')
		.trim();
}

/**
 * Translates an error from connecting to `host` (TLS handshake, socket, proxy, our timer) into
 * an outcome and a sentence. `established` says whether the TLS session was up when it happened.
 */
export function translateConnectionError(error: unknown, host: string, established = false): Translation {
	const code = codeOf(error);
	const reason = reasonOf(error);
	const detail = code && !reason.includes(code) ? `${code}: ${reason}` : reason;
	if (error instanceof TlsMaterialError) return { kind: 'tls', outcome: error.outcome, message: error.message };
	if (error instanceof RequestTimeoutError) {
		return { kind: 'timeout', outcome: 'timeout', message: `${host} did not answer in time.` };
	}
	if (error instanceof ProxyTunnelError) {
		if (error.syscallCode === 'ETIMEDOUT') return { kind: 'timeout', outcome: 'timeout', message: `${error.message}.`, detail };
		return { kind: 'network', outcome: 'proxyFailed', message: `${error.message}.`, detail };
	}
	if ((error as Error | undefined)?.name === 'AbortError' || code === 'ABORT_ERR') {
		return { kind: 'network', outcome: 'aborted', message: 'The call was cancelled.' };
	}
	if (code && SERVER_NOT_TRUSTED.has(code)) {
		if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
			return { kind: 'tls', outcome: 'serverNotTrusted', message: `The server's certificate is not issued for ${host}: the server is not trusted.`, detail };
		}
		if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
			return { kind: 'tls', outcome: 'serverNotTrusted', message: `The server's certificate at ${host} is outside its validity dates: the server is not trusted.`, detail };
		}
		return {
			kind: 'tls',
			outcome: 'serverNotTrusted',
			message: `The server at ${host} is not trusted: its certificate is signed by an unknown certificate authority.`,
			detail,
		};
	}
	if (REFUSAL_ALERT.test(reason) || code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
		const expired = /certificate expired/i.test(reason);
		return {
			kind: 'tls',
			outcome: 'certificateRefused',
			message: expired
				? `The server at ${host} refused the client certificate as expired.`
				: `The server at ${host} refused the client certificate.`,
			detail,
		};
	}
	if (/wrong version number|packet length too long|unknown protocol|http request/i.test(reason) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
		return { kind: 'tls', outcome: 'notTls', message: `The server at ${host} does not speak TLS on that port.`, detail };
	}
	if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return { kind: 'timeout', outcome: 'timeout', message: `${host} did not answer in time.`, detail };
	}
	if (code && UNREACHABLE.has(code)) {
		const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name cannot be resolved' : code === 'ECONNREFUSED' ? 'the connection was refused' : 'there is no route to it';
		return { kind: 'network', outcome: 'unreachable', message: `${host} is unreachable: ${what}.`, detail };
	}
	if (!established && (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(reason))) {
		// Cut during the handshake: servers that refuse a certificate sometimes just close the connection.
		return {
			kind: 'network',
			outcome: 'unreachable',
			message: `${host} closed the connection during the TLS handshake (a firewall, or a server refusing the client certificate).`,
			detail,
		};
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(reason)) {
		return {
			kind: 'network',
			outcome: 'unreachable',
			message: `${host} closed the connection before answering (if every call ends like this, the server may be refusing the client certificate: run the credential test).`,
			detail,
		};
	}
	if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS') || code?.startsWith('ERR_OSSL')) {
		return { kind: 'tls', outcome: 'certificateRefused', message: `The TLS handshake with ${host} failed.`, detail };
	}
	return { kind: 'network', outcome: 'unreachable', message: `The connection to ${host} failed.`, detail };
}

/** A CityFibreError from a translated connection problem. */
export function connectionError(translation: Translation, fields: CityFibreErrorFields = {}): CityFibreError {
	return new CityFibreError(translation.kind, translation.message, {
		outcome: translation.outcome,
		hint: OUTCOME_HINTS[translation.outcome],
		detail: translation.detail,
		code: translation.outcome,
		...fields,
	});
}
