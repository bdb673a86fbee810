/**
 * The credential test: local checks of the certificate fields with node:crypto first (they name
 * the problem exactly), then a real mutual-TLS request to the environment's base URL on a
 * one-off connection. In TLS 1.3 a server judges the client certificate only after the client
 * thinks the handshake is done, so a bare handshake could report success for a refused
 * certificate: we send one harmless GET and wait for the server's answer or its refusal.
 */
import * as https from 'node:https';

import { readMessage } from '../codec';
import type { CityFibreCredentials } from './credentials';
import { BaseUrlError, DEFAULT_TIMEOUT_SECONDS, resolveBaseUrl } from './credentials';
import { RequestTimeoutError, translateConnectionError } from './errors';
import { AttemptError, exchange } from './http';
import type { ConnectionOutcome } from './outcomes';
import { OUTCOME_HINTS, isoDate } from './outcomes';
import { TunnellingAgent, describeProxy, proxyFor } from './proxy';
import type { CertificateSummary } from './tlsMaterial';
import { TlsMaterialError, prepareTls, tlsMaterialOf } from './tlsMaterial';

export interface ConnectionTestResult {
	ok: boolean;
	outcome: ConnectionOutcome;
	/** One plain sentence (and what to do), as the n8n editor shows it. */
	message: string;
	hint: string;
	/** The low-level reason, for support; never material. */
	detail?: string;
	certificate?: Pick<CertificateSummary, 'subject' | 'validTo'>;
	httpStatus?: number;
}

/** The credential test's request never waits longer than this, whatever the request timeout. */
const MAX_TEST_TIMEOUT_SECONDS = 20;

function result(outcome: ConnectionOutcome, message: string, extra: Partial<ConnectionTestResult> = {}): ConnectionTestResult {
	const hint = OUTCOME_HINTS[outcome];
	return { ok: outcome === 'connected', outcome, message: outcome === 'connected' ? message : `${message} ${hint}`, hint, ...extra };
}

function faultText(body: Buffer): string | undefined {
	try {
		const fault = readMessage(body).fault;
		return fault ? [fault.message, fault.detail].filter(Boolean).join(' — ') : undefined;
	} catch {
		return undefined;
	}
}

export async function testConnection(credentials: CityFibreCredentials, now: Date = new Date()): Promise<ConnectionTestResult> {
	let base: URL;
	try {
		base = resolveBaseUrl(credentials);
	} catch (error) {
		if (error instanceof BaseUrlError) return result('badUrl', error.message);
		throw error;
	}
	const host = base.host;

	let prepared;
	try {
		prepared = prepareTls(tlsMaterialOf(credentials), now);
	} catch (error) {
		if (error instanceof TlsMaterialError) return result(error.outcome, error.message);
		throw error;
	}
	const certificate = { subject: prepared.certificate.subject, validTo: prepared.certificate.validTo };

	const timeoutMs = Math.min(credentials.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS, MAX_TEST_TIMEOUT_SECONDS) * 1000;
	const proxy = proxyFor(base);
	const agentOptions: https.AgentOptions = { keepAlive: false, maxSockets: 1, secureContext: prepared.secureContext };
	const agent = proxy ? new TunnellingAgent(proxy, agentOptions, { connectTimeoutMs: timeoutMs }) : new https.Agent(agentOptions);
	const via = proxy ? ` through the proxy ${describeProxy(proxy)}` : '';
	try {
		const answer = await exchange({
			agent,
			url: new URL(`${base.href}/`),
			method: 'GET',
			headers: { accept: 'text/xml, application/xml, */*' },
			timeoutMs,
			maxBytes: 64 * 1024,
		});
		if (answer.status === 401) {
			const why = faultText(answer.body);
			return result('certificateRefused', `The server at ${host} refused the client certificate (HTTP 401${why ? `: ${why}` : ''}).`, {
				httpStatus: 401,
				certificate,
			});
		}
		if (answer.status === 403) {
			const why = faultText(answer.body);
			return result('notPermitted', `The server at ${host} accepted the client certificate but does not permit the call (HTTP 403${why ? `: ${why}` : ''}).`, {
				httpStatus: 403,
				certificate,
			});
		}
		return result(
			'connected',
			`Connected to ${host}${via} with mutual TLS: the server accepted the client certificate (${certificate.subject}, valid until ${isoDate(certificate.validTo)}).`,
			{ httpStatus: answer.status, certificate },
		);
	} catch (error) {
		const cause = error instanceof AttemptError ? error.cause : error;
		const established = error instanceof AttemptError ? error.established : false;
		const translation = translateConnectionError(cause, host, established);
		if (cause instanceof RequestTimeoutError) {
			return result('timeout', `${host} did not answer within ${timeoutMs / 1000} seconds${via}.`, { certificate });
		}
		if (established && translation.outcome === 'unreachable' && (cause as NodeJS.ErrnoException)?.code === 'ECONNRESET') {
			// Many servers (Node's among them) refuse a client certificate by closing the fresh
			// connection once the handshake is done, without an alert or an HTTP answer.
			return result(
				'certificateRefused',
				`The server at ${host} closed the connection right after the TLS handshake, without answering: it refused the client certificate.`,
				{ detail: translation.detail, certificate },
			);
		}
		return result(translation.outcome, translation.message, { detail: translation.detail, certificate });
	} finally {
		agent.destroy();
	}
}
