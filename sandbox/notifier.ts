/**
 * Delivers `notifyFaultReportUpdate` messages to the Buyer's endpoint, one ticket's notifications
 * in order, and reads each acknowledgement with the codec. A delivery counts only when the answer
 * is HTTP 200 with a `receivedNotifyFaultReportUpdate` that echoes the notification's messageId
 * with ACK_VALID; anything else (endpoint down, timeout, non-200, a Rejected or mismatched ack)
 * is retried with exponential back-off, a bounded number of times.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';

import { ACK_VALID, receivedNotifyFaultReportUpdate } from '../nodes/CityFibre/catalogue';
import type { JsonObject } from '../nodes/CityFibre/codec';
import { readMessage } from '../nodes/CityFibre/codec';
import type { SandboxLog } from './log';

export interface DeliveryPolicy {
	/** Attempts per notification, the first included. */
	attempts: number;
	/** Wait after the first failure; doubles after each further one. Real time. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** How long one attempt may take before it counts as a timeout. */
	timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = { attempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 10_000 };

/** Largest acknowledgement read; an ack is a few hundred bytes. */
const MAX_ACK_BYTES = 1024 * 1024;

export type AttemptOutcome = 'acknowledged' | 'unreachable' | 'timeout' | 'httpStatus' | 'unreadable' | 'wrongAnswer';

export interface DeliveryAttempt {
	/** Real time, ISO 8601. */
	at: string;
	durationMs: number;
	outcome: AttemptOutcome;
	httpStatus?: number;
	/** What went wrong, in words (never the body). */
	detail?: string;
	/** After a failed attempt that is to be retried: the back-off before the next attempt (real ms). */
	retryInMs?: number;
}

export type DeliveryState = 'queued' | 'held' | 'delivering' | 'retrying' | 'delivered' | 'failed' | 'noEndpoint';

/** Why the notification was sent. */
export type NotificationReason = 'status' | 'appointment' | 'amended' | 'fullUpdate' | 'missedAppointment' | 'duplicate' | 'resend';

export interface NotificationRecord {
	/** The sandbox's own number, in creation order. */
	id: number;
	messageId: string;
	buyerIdentifier: string;
	buyerFaultReference: string;
	reason: NotificationReason;
	/** The ticket status it reports. */
	status: string;
	/** How the catalogue's `eventsOf` classifies it, most significant first. */
	events: string[];
	/** Simulated `sentAt` it carries. */
	sentAt: string;
	xml: string;
	/** The values it was written from (so a resend can give it a fresh messageId). */
	values: JsonObject;
	state: DeliveryState;
	attempts: DeliveryAttempt[];
	/** For a duplicate or a resend: the notification it repeats. */
	copyOf?: number;
}

export interface AcknowledgementRecord {
	notificationId: number;
	/** The messageId of the notification it answers. */
	notificationMessageId: string;
	/** Real time, ISO 8601. */
	at: string;
	httpStatus: number;
	/** Whether it counted as a valid acknowledgement. */
	valid: boolean;
	/** Why it did not count, when it did not. */
	problem?: string;
	/** The acknowledgement as read by the codec (empty when unreadable). */
	name?: string;
	body?: JsonObject;
	xml: string;
}

export interface NotifierOptions {
	notifyUrl?: string;
	policy: DeliveryPolicy;
	/** TLS for an https endpoint: the client certificate CityFibre presents, and the CAs trusted besides the public ones. */
	tls?: { cert: string; key: string; ca: readonly string[] };
	log: SandboxLog;
	/** Called whenever a record changes, so the state file can follow. */
	changed: () => void;
}

interface Queue {
	items: NotificationRecord[];
	running: boolean;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done);
	});
}

interface Answer {
	status: number;
	body: Buffer;
}

export class Notifier {
	readonly records: NotificationRecord[] = [];
	readonly acknowledgements: AcknowledgementRecord[] = [];
	private readonly queues = new Map<string, Queue>();
	/** Held back by "swap next", per ticket, until the ticket's next notification overtakes it. */
	private readonly held = new Map<string, NotificationRecord>();
	private readonly stopping = new AbortController();
	private readonly idleWaiters = new Set<() => void>();
	private httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
	private httpsAgent?: https.Agent;
	private active = 0;
	private notifyUrl?: URL;

	constructor(private readonly options: NotifierOptions) {
		this.setUrl(options.notifyUrl);
	}

	get url(): string | undefined {
		return this.notifyUrl?.href;
	}

	setUrl(url: string | undefined): void {
		if (url === undefined || url === '') {
			this.notifyUrl = undefined;
			return;
		}
		const parsed = new URL(url);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`The notification URL must be http or https, got ${parsed.protocol}`);
		this.notifyUrl = parsed;
		if (parsed.protocol === 'https:' && !this.httpsAgent) {
			const tls = this.options.tls;
			this.httpsAgent = new https.Agent({
				keepAlive: true,
				maxSockets: 4,
				cert: tls?.cert,
				key: tls?.key,
				ca: [...rootCertificates, ...(tls?.ca ?? [])],
			});
		}
	}

	/** Number of the next record. */
	nextId(): number {
		return this.records.length ? this.records[this.records.length - 1].id + 1 : 1;
	}

	/** Restores records from the state file; undelivered ones are queued again. */
	restore(records: NotificationRecord[], acknowledgements: AcknowledgementRecord[]): void {
		this.acknowledgements.push(...acknowledgements);
		for (const record of records) {
			this.records.push(record);
			if (record.state === 'queued' || record.state === 'delivering' || record.state === 'retrying' || record.state === 'held') {
				record.state = 'queued';
				this.push(record);
			}
		}
	}

	/** Records and queues a notification. `swap`: hold it until the ticket's next notification has gone first. */
	send(record: NotificationRecord, options: { swap?: boolean; duplicate?: boolean } = {}): void {
		const key = ticketKey(record);
		this.records.push(record);
		if (options.swap) {
			record.state = 'held';
			this.held.set(key, record);
			this.options.log(`notify #${record.id} ${record.messageId} ${record.buyerFaultReference} held back, to go after the next one`);
			this.options.changed();
			return;
		}
		this.push(record);
		if (options.duplicate) this.push(this.copy(record, 'duplicate'));
		const overtaken = this.held.get(key);
		if (overtaken) {
			this.held.delete(key);
			overtaken.state = 'queued';
			this.push(overtaken);
		}
		this.options.changed();
	}

	/** A copy of a record with the same messageId and XML, queued for its ticket. */
	copy(original: NotificationRecord, reason: 'duplicate' | 'resend', fresh?: { messageId: string; xml: string; sentAt: string; values: JsonObject }): NotificationRecord {
		const record: NotificationRecord = {
			...original,
			...(fresh ?? {}),
			id: this.nextId(),
			reason,
			copyOf: original.id,
			state: 'queued',
			attempts: [],
		};
		this.records.push(record);
		return record;
	}

	/** Queues an existing (copied) record for delivery. */
	enqueue(record: NotificationRecord): void {
		this.push(record);
		this.options.changed();
	}

	/** Releases every notification held back by "swap next". */
	releaseHeld(): number {
		const held = [...this.held.values()];
		this.held.clear();
		for (const record of held) {
			record.state = 'queued';
			this.push(record);
		}
		if (held.length) this.options.changed();
		return held.length;
	}

	/** Resolves when nothing is queued, being delivered or waiting to retry (held ones do not count). */
	idle(timeoutMs = 30_000): Promise<void> {
		if (this.active === 0) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.idleWaiters.delete(done);
				reject(new Error(`Notifications still in delivery after ${timeoutMs} ms`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				resolve();
			};
			this.idleWaiters.add(done);
		});
	}

	close(): void {
		this.stopping.abort();
		this.httpAgent.destroy();
		this.httpsAgent?.destroy();
		for (const done of this.idleWaiters) done();
		this.idleWaiters.clear();
	}

	private push(record: NotificationRecord): void {
		const key = ticketKey(record);
		let queue = this.queues.get(key);
		if (!queue) {
			queue = { items: [], running: false };
			this.queues.set(key, queue);
		}
		queue.items.push(record);
		this.active++;
		if (!queue.running) void this.run(key, queue);
	}

	private async run(key: string, queue: Queue): Promise<void> {
		queue.running = true;
		try {
			while (queue.items.length && !this.stopping.signal.aborted) {
				const record = queue.items[0];
				try {
					await this.deliver(record);
				} catch (error) {
					// Never let one notification stop the queue (or the process).
					record.state = 'failed';
					this.options.log(`notify #${record.id} ${record.messageId} failed unexpectedly: ${(error as Error).message}`, 'error');
				}
				queue.items.shift();
				this.active--;
				this.options.changed();
			}
		} finally {
			queue.running = false;
			if (!queue.items.length) this.queues.delete(key);
			if (this.active === 0) {
				for (const done of this.idleWaiters) done();
				this.idleWaiters.clear();
			}
		}
	}

	private async deliver(record: NotificationRecord): Promise<void> {
		const { policy, log } = this.options;
		for (let attempt = record.attempts.length + 1; attempt <= policy.attempts; attempt++) {
			const url = this.notifyUrl;
			if (!url) {
				record.state = 'noEndpoint';
				log(`notify #${record.id} ${record.messageId} ${record.buyerFaultReference} [${record.events[0]}] not sent: no notification URL configured`);
				return;
			}
			if (this.stopping.signal.aborted) return;
			record.state = 'delivering';
			const started = Date.now();
			const result = await this.attempt(record, url);
			const durationMs = Date.now() - started;
			record.attempts.push({ at: new Date(started).toISOString(), durationMs, ...result });
			const what = `notify #${record.id} ${record.messageId} ${record.buyerFaultReference} [${record.events[0]}] attempt ${attempt}/${policy.attempts} to ${url.origin}${url.pathname}`;
			if (result.outcome === 'acknowledged') {
				record.state = 'delivered';
				log(`${what} → HTTP 200, acknowledged (${durationMs} ms)`);
				return;
			}
			const status = result.httpStatus ? `HTTP ${result.httpStatus}, ` : '';
			if (attempt >= policy.attempts) {
				record.state = 'failed';
				log(`${what} → ${status}${result.detail}; giving up`, 'error');
				return;
			}
			const wait = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
			record.attempts[record.attempts.length - 1].retryInMs = wait;
			record.state = 'retrying';
			log(`${what} → ${status}${result.detail}; retrying in ${wait} ms`);
			this.options.changed();
			await sleep(wait, this.stopping.signal);
		}
		if (record.state !== 'delivered') record.state = 'failed';
	}

	private async attempt(record: NotificationRecord, url: URL): Promise<Omit<DeliveryAttempt, 'at' | 'durationMs'>> {
		let answer: Answer;
		try {
			answer = await this.post(url, record.xml);
		} catch (error) {
			const timedOut = (error as Error).name === 'TimeoutError';
			return { outcome: timedOut ? 'timeout' : 'unreachable', detail: describe(error) };
		}
		const ack: AcknowledgementRecord = {
			notificationId: record.id,
			notificationMessageId: record.messageId,
			at: new Date().toISOString(),
			httpStatus: answer.status,
			valid: false,
			xml: answer.body.toString('utf8'),
		};
		this.acknowledgements.push(ack);
		let problem: string | undefined;
		let outcome: AttemptOutcome = 'wrongAnswer';
		try {
			const read = readMessage(answer.body);
			ack.name = read.name;
			ack.body = read.body;
			const messageId = typeof read.body.messageId === 'string' ? read.body.messageId : undefined;
			const code = read.body.responseCode === undefined ? undefined : String(read.body.responseCode);
			if (answer.status !== 200) problem = `answered HTTP ${answer.status}`;
			else if (read.name !== receivedNotifyFaultReportUpdate.name) problem = `answered <${read.name}>, not <${receivedNotifyFaultReportUpdate.name}>`;
			else if (messageId !== record.messageId) problem = `acknowledged messageId "${messageId ?? ''}", not "${record.messageId}"`;
			else if (code !== ACK_VALID) problem = `acknowledged with responseCode ${code ?? '(none)'}, not ${ACK_VALID}`;
		} catch (error) {
			outcome = answer.status === 200 ? 'unreadable' : 'httpStatus';
			problem = answer.status === 200 ? `acknowledgement unreadable: ${(error as Error).message}` : `answered HTTP ${answer.status}`;
		}
		if (!problem) {
			ack.valid = true;
			return { outcome: 'acknowledged', httpStatus: answer.status };
		}
		if (answer.status !== 200) outcome = 'httpStatus';
		ack.problem = problem;
		return { outcome, httpStatus: answer.status, detail: problem };
	}

	private post(url: URL, xml: string): Promise<Answer> {
		const body = Buffer.from(xml, 'utf8');
		const client = url.protocol === 'https:' ? https : http;
		const agent = url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
		return new Promise<Answer>((resolve, reject) => {
			const request = client.request(
				url,
				{
					method: 'POST',
					agent,
					headers: {
						'Content-Type': 'text/xml; charset=utf-8',
						'Content-Length': body.length,
						SOAPAction: '"notifyFaultReportUpdate"',
					},
					signal: this.stopping.signal,
				},
				(response) => {
					const chunks: Buffer[] = [];
					let size = 0;
					response.on('data', (chunk: Buffer) => {
						size += chunk.length;
						if (size > MAX_ACK_BYTES) {
							request.destroy(new Error(`acknowledgement larger than ${MAX_ACK_BYTES} bytes`));
							return;
						}
						chunks.push(chunk);
					});
					response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
					response.on('error', reject);
				},
			);
			request.setTimeout(this.options.policy.timeoutMs, () => {
				const error = new Error(`no answer within ${this.options.policy.timeoutMs} ms`);
				error.name = 'TimeoutError';
				request.destroy(error);
			});
			request.on('error', reject);
			request.end(body);
		});
	}
}

export function ticketKey(ref: { buyerIdentifier: string; buyerFaultReference: string }): string {
	return `${ref.buyerIdentifier}\u0000${ref.buyerFaultReference}`;
}

function describe(error: unknown): string {
	const e = error as NodeJS.ErrnoException;
	if (e?.code) return `${e.code} ${e.message}`.trim();
	return e?.message ?? String(error);
}
