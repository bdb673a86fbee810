/**
 * A tiny HTTPS client for tests: POST XML (or call the sandbox's control interface) with a client
 * certificate, over a fresh connection or a caller's keep-alive agent. Real sockets, real TLS.
 */
import * as https from 'node:https';

import type { OperationName } from '../../nodes/CityFibre/catalogue';
import { OPERATIONS } from '../../nodes/CityFibre/catalogue';
import type { ReadMessage, WritableObject } from '../../nodes/CityFibre/codec';
import { fillAutoValues, readMessage, writeMessage } from '../../nodes/CityFibre/codec';
import type { Sandbox } from '../../sandbox';

/** What a client presents and trusts. Leave cert/key/pfx out to connect without a certificate. */
export interface ClientTls {
	cert?: string;
	key?: string;
	pfx?: Buffer;
	passphrase?: string;
	/** CA(s) to trust for the server's certificate. */
	ca?: string | string[];
}

export interface HttpsAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export interface PostOptions {
	/** Reuse connections through this agent (see keepAliveAgent); a fresh connection otherwise. */
	agent?: https.Agent;
	headers?: Record<string, string>;
	timeoutMs?: number;
	method?: string;
}

/** The Buyer's certificate and the sandbox's CA, as a client uses them. */
export function buyerTls(sandbox: Pick<Sandbox, 'certs'>): ClientTls {
	return { cert: sandbox.certs.buyer.cert, key: sandbox.certs.buyer.key, ca: sandbox.certs.ca.cert };
}

/** A keep-alive agent presenting `tls`: calls through it share connections (one handshake). */
export function keepAliveAgent(tls: ClientTls): https.Agent {
	return new https.Agent({ keepAlive: true, maxSockets: 1, ...tls });
}

/** Sends `body` and resolves with the answer; rejects on a network or TLS error (e.g. a refused certificate). */
export function request(url: string, body: string | undefined, tls: ClientTls, options: PostOptions = {}): Promise<HttpsAnswer> {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
		const req = https.request(
			url,
			{
				method: options.method ?? 'POST',
				agent: options.agent ?? false,
				...(options.agent ? {} : tls),
				headers: {
					...(payload ? { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': String(payload.length) } : {}),
					...options.headers,
				},
				timeout: options.timeoutMs ?? 10_000,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
		req.on('error', reject);
		req.end(payload);
	});
}

export function postXml(url: string, xml: string, tls: ClientTls, options: PostOptions = {}): Promise<HttpsAnswer> {
	return request(url, xml, tls, options);
}

export interface CallResult extends HttpsAnswer {
	/** The request as sent (auto header filled). */
	sent: WritableObject;
	/** The answer read by the codec. */
	message: ReadMessage;
}

/**
 * Calls an operation the way a Buyer does: fills the header from the catalogue (buyer SPDEV1
 * unless given), writes the request with the codec, POSTs it to `${baseUrl}/${operation}` and
 * reads the answer. Validation is left to the sandbox, so invalid requests can be sent on purpose.
 */
export async function callOperation(
	baseUrl: string,
	operation: OperationName,
	values: WritableObject,
	tls: ClientTls,
	options: PostOptions & { buyerIdentifier?: string } = {},
): Promise<CallResult> {
	const definition = OPERATIONS[operation].request;
	const sent = fillAutoValues(definition, values, { buyerIdentifier: options.buyerIdentifier ?? 'SPDEV1' });
	const answer = await postXml(`${baseUrl}/${operation}`, writeMessage(definition, sent), tls, options);
	return { ...answer, sent, message: readMessage(answer.body) };
}

/** Calls a control method over HTTP (`POST <controlUrl>/<method>` with JSON) and returns the parsed JSON. */
export async function controlCall<T = unknown>(
	sandbox: Pick<Sandbox, 'controlUrl' | 'certs'>,
	method: string,
	args: Record<string, unknown> = {},
	options: PostOptions = {},
): Promise<{ status: number; json: T }> {
	const answer = await request(`${sandbox.controlUrl}/${method}`, JSON.stringify(args), buyerTls(sandbox), {
		...options,
		headers: { 'Content-Type': 'application/json', ...options.headers },
	});
	return { status: answer.status, json: JSON.parse(answer.body) as T };
}
