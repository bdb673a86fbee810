/**
 * The sandbox on the wire: HTTPS with mutual TLS (a client without a certificate from the
 * sandbox's CA is refused at the handshake, as CityFibre's gateway refuses an unknown one), the
 * Buyer operations at `POST <base>/<operationName>` at the root and under each gateway prefix,
 * the control interface under `/_sandbox/`, and fault injection. Nothing a client sends can crash
 * it: every failure becomes an answer and a log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';

import type { OperationName } from '../nodes/CityFibre/catalogue';
import { GATEWAY_PATH_PREFIXES, OPERATIONS, isOperationName } from '../nodes/CityFibre/catalogue';
import type { ReadMessage, WritableObject } from '../nodes/CityFibre/codec';
import { DEFAULT_LIMITS, XmlFormatError, XmlSafetyError, fillAutoValues, messageIdOf, readMessage, writeFault, writeMessage } from '../nodes/CityFibre/codec';
import type { SandboxCertificates } from './certs';
import type { SimulatedClock } from './clock';
import type { ExchangeRecord, SandboxControl, SandboxStats } from './control';
import { CONTROL_METHODS, ControlError } from './control';
import type { FaultInjector } from './faults';
import type { SandboxLog } from './log';
import type { Simulator } from './simulator';
import { RESPONSE_CODES, buyerIdentifierOf } from './simulator';

/** Where the control interface lives: a path CityFibre's API does not use. */
export const CONTROL_PREFIX = '/_sandbox';

/** The answers' media type (SOAP 1.1). */
const XML_TYPE = 'text/xml; charset=utf-8';

/** Exchanges kept for read-back; older ones are dropped. */
const MAX_EXCHANGES = 5_000;

/** Largest control request body. */
const MAX_CONTROL_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(new BodyTooLargeError(`The request is larger than ${limit} bytes`));
				req.pause();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** The operation a path names, at the root or under one of the gateway's prefixes. */
export function operationOfPath(pathname: string): OperationName | undefined {
	for (const prefix of ['', ...GATEWAY_PATH_PREFIXES]) {
		if (!pathname.startsWith(`${prefix}/`)) continue;
		const name = pathname.slice(prefix.length + 1);
		if (isOperationName(name)) return name;
	}
	return undefined;
}

function short(text: string | undefined, max = 300): string {
	if (!text) return '';
	const one = text.replace(/\s+/g, ' ');
	return one.length > max ? `${one.slice(0, max)}…` : one;
}

interface Answer {
	status: number;
	xml: string;
	headers?: Record<string, string>;
}

export interface ServerParts {
	certs: SandboxCertificates;
	simulator: Simulator;
	faults: FaultInjector;
	clock: SimulatedClock;
	/** Buyer identifiers the sandbox serves; others are refused with 403. */
	buyers: ReadonlySet<string>;
	log: SandboxLog;
}

export class SandboxServer {
	readonly server: https.Server;
	readonly exchanges: ExchangeRecord[] = [];
	private readonly counters = { handshakes: 0, resumedSessions: 0, refusedHandshakes: 0, openConnections: 0, requests: 0 };
	private nextExchange = 1;
	/** Connections cut after the handshake: a request already buffered on one is never processed. */
	private readonly cut = new WeakSet<object>();
	/** Answers held back by a delay fault, released at once on close. */
	private readonly delayed = new Map<NodeJS.Timeout, () => void>();
	control?: SandboxControl;

	constructor(private readonly parts: ServerParts) {
		const { certs } = parts;
		this.server = https.createServer(
			{
				key: certs.server.key,
				cert: certs.server.cert,
				ca: [certs.ca.cert],
				requestCert: true,
				rejectUnauthorized: true,
				minVersion: 'TLSv1.2',
			},
			(req, res) => void this.onRequest(req, res),
		);
		// Before the HTTP layer's own listener, so a connection cut here never starts a request.
		this.server.prependListener('secureConnection', (socket: TLSSocket) => this.onSecureConnection(socket));
		this.server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
			this.counters.refusedHandshakes++;
			parts.log(`TLS handshake refused from ${socket.remoteAddress ?? '?'}: ${error.code ?? ''} ${short(error.message, 160)}`.trim());
		});
		this.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
			// TLS refusals arrive here too, after tlsClientError has counted and logged them.
			if (error.code?.startsWith('ERR_SSL')) {
				socket.destroy();
				return;
			}
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			else socket.destroy();
			parts.log(`bad HTTP from a client: ${error.code ?? ''} ${short(error.message, 160)}`.trim());
		});
	}

	stats(): SandboxStats {
		return { ...this.counters };
	}

	listen(port: number, host: string): Promise<number> {
		return new Promise((resolve, reject) => {
			const onError = (error: Error) => reject(error);
			this.server.once('error', onError);
			this.server.listen(port, host, () => {
				this.server.off('error', onError);
				const address = this.server.address();
				resolve(typeof address === 'object' && address ? address.port : port);
			});
		});
	}

	closeIdleConnections(): void {
		this.server.closeIdleConnections();
	}

	close(): Promise<void> {
		for (const [timer, release] of this.delayed) {
			clearTimeout(timer);
			release();
		}
		this.delayed.clear();
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private onSecureConnection(socket: TLSSocket): void {
		this.counters.handshakes++;
		if (socket.isSessionReused()) this.counters.resumedSessions++;
		this.counters.openConnections++;
		socket.once('close', () => this.counters.openConnections--);
		const drop = this.parts.faults.takeHandshakeDrop();
		if (drop) {
			this.record({ ...this.newExchange('(connection)'), outcome: 'injected', fault: drop.spec, detail: 'connection cut right after the TLS handshake' });
			this.parts.log('injected fault: connection cut right after the TLS handshake');
			this.cut.add(socket);
			socket.destroy();
		}
	}

	private delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.delayed.delete(timer);
				resolve();
			}, ms);
			this.delayed.set(timer, resolve);
		});
	}

	private newExchange(path: string): ExchangeRecord {
		return { id: this.nextExchange++, at: new Date().toISOString(), simulatedAt: this.parts.clock.iso(), path, outcome: 'error' };
	}

	private record(exchange: ExchangeRecord): void {
		this.exchanges.push(exchange);
		if (this.exchanges.length > MAX_EXCHANGES) this.exchanges.splice(0, this.exchanges.length - MAX_EXCHANGES);
	}

	private logExchange(e: ExchangeRecord): void {
		const refs = [e.messageId && `messageId=${e.messageId}`, e.buyerFaultReference && `ref=${e.buyerFaultReference}`].filter(Boolean).join(' ');
		const status = e.httpStatus === undefined ? 'no answer' : `${e.httpStatus}`;
		const fault = e.fault ? ` [injected ${e.fault.kind}${e.fault.kind === 'drop' ? ` ${e.fault.at}` : ''}]` : '';
		this.parts.log(`${e.operation ?? e.path} ${refs} → ${status} ${e.outcome}${e.detail ? `: ${short(e.detail)}` : ''}${fault} (${e.durationMs ?? 0} ms)`.replace(/ {2,}/g, ' '), e.outcome === 'error' ? 'error' : 'info');
	}

	private send(res: ServerResponse, answer: Answer): void {
		const body = Buffer.from(answer.xml, 'utf8');
		res.writeHead(answer.status, { 'Content-Type': XML_TYPE, 'Content-Length': body.length, ...(answer.headers ?? {}) });
		res.end(body);
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		if (this.cut.has(req.socket)) return;
		const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
		const pathname = url.pathname;
		if (pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`)) {
			await this.onControl(req, res, url);
			return;
		}
		this.counters.requests++;
		const started = Date.now();
		const exchange = this.newExchange(pathname);
		const finish = () => {
			exchange.durationMs = Date.now() - started;
			this.record(exchange);
			this.logExchange(exchange);
		};
		try {
			const operation = operationOfPath(pathname);
			exchange.operation = operation;
			const fault = this.parts.faults.takeForCall(operation);
			if (fault) exchange.fault = fault.spec;
			if (fault?.spec.kind === 'drop' && fault.spec.at === 'beforeRead') {
				exchange.outcome = 'injected';
				exchange.detail = 'connection cut before the request was read';
				finish();
				req.socket.destroy();
				return;
			}
			let bytes: Buffer;
			try {
				bytes = await readBody(req, DEFAULT_LIMITS.maxBytes);
			} catch (error) {
				if (!(error instanceof BodyTooLargeError)) throw error;
				exchange.outcome = 'malformed';
				exchange.detail = error.message;
				exchange.httpStatus = 413;
				res.setHeader('Connection', 'close');
				this.send(res, { status: 413, xml: writeFault('cityfibre', '413', 'Request too large', error.message) });
				finish();
				return;
			}
			exchange.requestXml = bytes.toString('utf8');
			const parsed = this.parse(bytes, exchange);
			let answer: Answer;
			if (fault?.spec.kind === 'status') {
				const status = fault.spec.status ?? 500;
				answer = { status, xml: writeFault('cityfibre', String(status), 'Service unavailable', 'Fault injected by the CityFibre sandbox') };
				exchange.outcome = 'injected';
				exchange.detail = `answered HTTP ${status} without processing the request`;
			} else {
				answer = this.answer(req, operation, parsed, exchange);
			}
			if (fault?.spec.kind === 'drop' && fault.spec.at === 'afterRead') {
				exchange.detail = `${exchange.outcome}${exchange.detail ? `: ${exchange.detail}` : ''}; then the connection was cut without an answer`;
				exchange.outcome = 'injected';
				exchange.responseXml = answer.xml;
				finish();
				req.socket.destroy();
				return;
			}
			if (fault?.spec.kind === 'delay') await this.delay(fault.spec.ms);
			exchange.httpStatus = answer.status;
			exchange.responseXml = answer.xml;
			finish();
			if (!res.destroyed && !req.socket.destroyed) this.send(res, answer);
		} catch (error) {
			exchange.outcome = 'error';
			exchange.httpStatus = 500;
			exchange.detail = `internal error: ${(error as Error).message}`;
			finish();
			if (!res.headersSent && !res.destroyed) {
				this.send(res, { status: 500, xml: writeFault('cityfibre', '500', 'Internal error', 'The sandbox failed to process the request') });
			}
		}
	}

	/** The request read by the codec, or why it cannot be; the exchange record gets its references either way. */
	private parse(bytes: Buffer, exchange: ExchangeRecord): ReadMessage | XmlFormatError | XmlSafetyError {
		try {
			const message = readMessage(bytes);
			const body = message.body;
			exchange.messageId = messageIdOf(body as WritableObject);
			exchange.buyerIdentifier = buyerIdentifierOf(body) || undefined;
			if (typeof body.buyerFaultReference === 'string') exchange.buyerFaultReference = body.buyerFaultReference;
			return message;
		} catch (error) {
			if (error instanceof XmlFormatError || error instanceof XmlSafetyError) return error;
			throw error;
		}
	}

	/** The answer to one Buyer call (no fault injected into it). */
	private answer(req: IncomingMessage, operation: OperationName | undefined, parsed: ReadMessage | XmlFormatError | XmlSafetyError, exchange: ExchangeRecord): Answer {
		if (!operation) {
			exchange.outcome = 'notFound';
			exchange.httpStatus = 404;
			const known = Object.keys(OPERATIONS).join(', ');
			return { status: 404, xml: writeFault('cityfibre', '404', 'Not found', `No operation at ${exchange.path}; POST to <base>/<operation>, one of ${known}`) };
		}
		if (req.method !== 'POST') {
			exchange.outcome = 'notFound';
			return { status: 405, xml: writeFault('cityfibre', '405', 'Method not allowed', `${operation} is called with POST`), headers: { Allow: 'POST' } };
		}
		if (parsed instanceof Error) {
			exchange.outcome = 'malformed';
			exchange.detail = parsed.message;
			return { status: 400, xml: writeFault('cityfibre', '400', 'Malformed request', parsed.message) };
		}
		const message = parsed;
		const buyer = exchange.buyerIdentifier;
		if (buyer && !this.parts.buyers.has(buyer)) {
			exchange.outcome = 'forbidden';
			exchange.detail = `buyerIdentifier "${buyer}" is not registered`;
			return {
				status: 403,
				xml: writeFault('cityfibre', '403', 'Forbidden', `buyerIdentifier "${buyer}" is not registered with this sandbox (start it with --buyer ${buyer})`),
			};
		}
		if (message.name !== operation) {
			const reason = `The SOAP Body holds <${message.name}>; ${exchange.path} expects <${operation}>`;
			exchange.outcome = 'invalid';
			exchange.detail = reason;
			const definition = OPERATIONS[operation].response;
			const values = fillAutoValues(definition, { responseCode: RESPONSE_CODES.invalid, errorMessage: reason }, {
				buyerIdentifier: buyer ?? '',
				messageId: exchange.messageId,
				now: this.parts.clock.date(),
			});
			return { status: 400, xml: writeMessage(definition, values) };
		}
		const reply = this.parts.simulator.handle(operation, message);
		exchange.outcome = reply.outcome;
		exchange.detail = reply.detail;
		exchange.buyerFaultReference = reply.buyerFaultReference ?? exchange.buyerFaultReference;
		return { status: reply.httpStatus, xml: reply.xml };
	}

	private async onControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const json = (status: number, value: unknown) => {
			const body = Buffer.from(JSON.stringify(value ?? null), 'utf8');
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
			res.end(body);
		};
		const name = url.pathname.slice(CONTROL_PREFIX.length + 1);
		try {
			if (!name) {
				json(200, { methods: CONTROL_METHODS });
				return;
			}
			const entry = Object.prototype.hasOwnProperty.call(CONTROL_METHODS, name) ? CONTROL_METHODS[name] : undefined;
			if (!entry || !this.control) {
				json(404, { error: `no control method "${name}"; GET ${CONTROL_PREFIX}/ lists them` });
				return;
			}
			if (req.method !== 'POST' && !(req.method === 'GET' && entry.readOnly)) {
				res.setHeader('Allow', entry.readOnly ? 'GET, POST' : 'POST');
				json(405, { error: `${name} is called with ${entry.readOnly ? 'GET or POST' : 'POST'}` });
				return;
			}
			let args: Record<string, unknown> = Object.fromEntries(url.searchParams);
			if (req.method === 'POST') {
				const text = (await readBody(req, MAX_CONTROL_BYTES)).toString('utf8').trim();
				if (text) {
					try {
						args = { ...args, ...(JSON.parse(text) as Record<string, unknown>) };
					} catch {
						json(400, { error: 'the body must be a JSON object' });
						return;
					}
				}
			}
			const method = (this.control as unknown as Record<string, (a: unknown) => unknown>)[name];
			const result = await method.call(this.control, args);
			json(200, result);
		} catch (error) {
			const status = error instanceof ControlError ? error.status : error instanceof BodyTooLargeError ? 413 : 500;
			json(status, { error: (error as Error).message });
			if (status === 500) this.parts.log(`control ${name} failed: ${(error as Error).message}`, 'error');
		}
	}
}
