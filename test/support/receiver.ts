/**
 * A Buyer's notification endpoint for tests, on 127.0.0.1: it records every notification it is
 * sent, reads it with the codec, classifies it with the catalogue's `eventsOf`, and answers with
 * a correct `receivedNotifyFaultReportUpdate` (the messageId echoed, ACK_VALID). Switches make it
 * misbehave for retry tests: answer 500, acknowledge the wrong messageId, reject, or go down.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

import { ACK_REJECTED, ACK_VALID, eventsOf, receivedNotifyFaultReportUpdate } from '../../nodes/CityFibre/catalogue';
import type { JsonObject } from '../../nodes/CityFibre/codec';
import { fillAutoValues, readMessage, writeMessage } from '../../nodes/CityFibre/codec';

/** How the receiver answers: correctly, or one of the ways a Buyer's endpoint fails. */
export type ReceiverMode = 'ack' | 'status500' | 'wrongMessageId' | 'rejected' | 'notXml';

export interface ReceivedNotification {
	/** Arrival order, from 1. */
	seq: number;
	messageId: string;
	buyerFaultReference: string;
	/** `faultDetails.status` as read. */
	status: string;
	/** The catalogue's classification, most significant first. */
	events: string[];
	body: JsonObject;
	xml: string;
	/** How it was answered. */
	answeredWith: ReceiverMode;
	/** Whether this messageId had arrived (and been acknowledged) before. */
	repeat: boolean;
	/** The client certificate's subject CN, when it arrived over https with one. */
	clientCertificate?: string;
}

export interface ReceiverOptions {
	/** Serve https with this certificate (and, with `requestCert`, ask for CityFibre's client certificate). */
	https?: { cert: string; key: string; ca?: string; requestCert?: boolean };
	buyerIdentifier?: string;
}

export interface Receiver {
	/** e.g. http://127.0.0.1:PORT/notifications */
	url: string;
	port: number;
	/** Everything that arrived, in order, however it was answered. */
	received: ReceivedNotification[];
	/** The notifications acknowledged correctly, first arrival of each messageId only. */
	acknowledged(): ReceivedNotification[];
	/** Answer the next `count` notifications (all from now on when omitted) with `mode`. */
	answer(mode: ReceiverMode, count?: number): void;
	/** Stop listening (connections are refused) until `comeUp`. */
	goDown(): Promise<void>;
	comeUp(): Promise<void>;
	/** Resolves when `predicate` holds for the received list (checked on each arrival). */
	waitFor(predicate: (received: ReceivedNotification[]) => boolean, timeoutMs?: number): Promise<ReceivedNotification[]>;
	/** Resolves once `count` notifications have been acknowledged correctly. */
	waitForAcknowledged(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
	close(): Promise<void>;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined ? '' : String(value);
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
	const received: ReceivedNotification[] = [];
	const acknowledgedIds = new Set<string>();
	const waiters = new Set<() => void>();
	const modes: Array<{ mode: ReceiverMode; remaining: number }> = [];
	let standing: ReceiverMode = 'ack';
	const buyerIdentifier = options.buyerIdentifier ?? 'SPDEV1';

	function nextMode(): ReceiverMode {
		const head = modes[0];
		if (!head) return standing;
		head.remaining--;
		if (head.remaining <= 0) modes.shift();
		return head.mode;
	}

	function ack(messageId: string, responseCode: string): string {
		const values = fillAutoValues(receivedNotifyFaultReportUpdate, { messageId, responseCode }, { buyerIdentifier, messageId });
		return writeMessage(receivedNotifyFaultReportUpdate, values);
	}

	const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const xml = Buffer.concat(chunks).toString('utf8');
			const mode = nextMode();
			let body: JsonObject = {};
			try {
				body = readMessage(xml).body;
			} catch {
				// recorded with an empty body; the sandbox only sends what the codec writes
			}
			const messageId = text(body.messageId);
			const faultDetails = (body.faultDetails ?? {}) as JsonObject;
			const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate?.();
			received.push({
				seq: received.length + 1,
				messageId,
				buyerFaultReference: text(body.buyerFaultReference),
				status: text(faultDetails.status),
				events: eventsOf(body),
				body,
				xml,
				answeredWith: mode,
				repeat: acknowledgedIds.has(messageId),
				clientCertificate: peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined,
			});
			if (mode === 'ack') acknowledgedIds.add(messageId);
			const xmlHeaders = { 'Content-Type': 'text/xml; charset=utf-8' };
			switch (mode) {
				case 'ack':
					res.writeHead(200, xmlHeaders).end(ack(messageId, ACK_VALID));
					break;
				case 'wrongMessageId':
					res.writeHead(200, xmlHeaders).end(ack(`not-${messageId}`, ACK_VALID));
					break;
				case 'rejected':
					res.writeHead(200, xmlHeaders).end(ack(messageId, ACK_REJECTED));
					break;
				case 'status500':
					res.writeHead(500, { 'Content-Type': 'text/plain' }).end('receiver failing on purpose');
					break;
				case 'notXml':
					res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
					break;
			}
			for (const wake of [...waiters]) wake();
		});
	};

	const create = () =>
		options.https
			? https.createServer(
					{
						cert: options.https.cert,
						key: options.https.key,
						ca: options.https.ca,
						requestCert: options.https.requestCert ?? false,
						rejectUnauthorized: options.https.requestCert ?? false,
					},
					handler,
				)
			: http.createServer(handler);

	let server = create();
	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
		});
	const stop = () =>
		new Promise<void>((resolve) => {
			if (!server.listening) return resolve();
			server.close(() => resolve());
			server.closeAllConnections();
		});
	const port = await listen(0);
	const scheme = options.https ? 'https' : 'http';

	const acknowledged = () => {
		const seen = new Set<string>();
		return received.filter((r) => r.answeredWith === 'ack' && !seen.has(r.messageId) && seen.add(r.messageId));
	};

	const waitFor = (predicate: (r: ReceivedNotification[]) => boolean, timeoutMs = 10_000) =>
		new Promise<ReceivedNotification[]>((resolve, reject) => {
			if (predicate(received)) return resolve(received);
			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(new Error(`receiver: condition not met within ${timeoutMs} ms; received ${received.length}: ${received.map((r) => `${r.status}/${r.events[0]}/${r.answeredWith}`).join(', ')}`));
			}, timeoutMs);
			const check = () => {
				if (!predicate(received)) return;
				clearTimeout(timer);
				waiters.delete(check);
				resolve(received);
			};
			waiters.add(check);
		});

	return {
		url: `${scheme}://127.0.0.1:${port}/notifications`,
		port,
		received,
		acknowledged,
		answer(mode, count) {
			if (count === undefined) {
				modes.length = 0;
				standing = mode;
			} else {
				modes.push({ mode, remaining: count });
			}
		},
		goDown: stop,
		async comeUp() {
			if (server.listening) return;
			server = create();
			await listen(port);
		},
		waitFor,
		waitForAcknowledged: (count, timeoutMs) => waitFor(() => acknowledged().length >= count, timeoutMs).then(() => acknowledged()),
		close: stop,
	};
}
