/**
 * The built sandbox as a separate process (scripts/sandbox-process.js, shared with `npm run dev`),
 * in the run folder, recorded so it is always stopped, with typed calls to its control interface.
 */
import * as path from 'node:path';

import type { AcknowledgementRecord, NotificationRecord } from '../../../sandbox/notifier';
import type { ExchangeRecord } from '../../../sandbox/control';
import type { Ticket } from '../../../sandbox/tickets';
import { trackProcess, untrackProcess } from './processes';
import { runInfo } from './run';

export type { AcknowledgementRecord, ExchangeRecord, NotificationRecord, Ticket };

interface ReadyInfo {
	baseUrl: string;
	controlUrl: string;
	ca: string;
	cert: string;
	key: string;
	certsDir: string;
}

interface SandboxProcessJs {
	pid: number;
	info: ReadyInfo;
	baseUrl: string;
	logFile: string;
	logs(): string;
	control(method: string, args?: object): Promise<unknown>;
	credentialData(buyerIdentifier: string): Record<string, unknown>;
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandboxProcess } = require('../../../scripts/sandbox-process') as {
	startSandboxProcess(options: {
		dir: string;
		port?: number;
		notifyUrl?: string;
		buyers?: string[];
		clockSpeed?: number;
		autoProgress?: boolean;
		seed?: number;
		holdProbability?: number;
		log?: (message: string) => void;
	}): Promise<SandboxProcessJs>;
};

export interface E2eSandbox {
	baseUrl: string;
	info: ReadyInfo;
	/** The data of a cityFibreTicketingApi credential for this sandbox and buyer (PEM, CA bundle). */
	credentialData(buyerIdentifier: string): Record<string, unknown>;
	ticket(ref: string): Promise<Ticket>;
	notifications(ref: string): Promise<NotificationRecord[]>;
	acknowledgements(ref: string): Promise<AcknowledgementRecord[]>;
	exchanges(operation?: string): Promise<ExchangeRecord[]>;
	duplicateNext(count?: number): Promise<void>;
	resend(id: number, freshMessageId?: boolean): Promise<NotificationRecord>;
	/** Where notifications go from now on. */
	setNotifyUrl(url: string): Promise<void>;
	/** Polls the ticket until `done` holds (the sandbox moves tickets on its own clock). */
	waitForTicket(ref: string, done: (ticket: Ticket) => boolean, what: string, timeoutMs?: number): Promise<Ticket>;
	/** Polls a ticket's notifications (with their delivery attempts) until `done` holds. */
	waitForDeliveries(ref: string, done: (notifications: NotificationRecord[]) => boolean, what: string, timeoutMs?: number): Promise<NotificationRecord[]>;
	/** Polls the answers the sandbox received for a ticket's notifications until `done` holds. */
	waitForAcknowledgements(ref: string, done: (answers: AcknowledgementRecord[]) => boolean, what: string, timeoutMs?: number): Promise<AcknowledgementRecord[]>;
	logTail(lines?: number): string;
	stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs: number, tail: () => string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(value).slice(0, 2000)}\nsandbox log:\n${tail()}`);
		}
		await sleep(250);
	}
}

export async function startE2eSandbox(
	name: string,
	options: { notifyUrl?: string; buyers: string[]; clockSpeed: number; holdProbability: number; seed: number },
): Promise<E2eSandbox> {
	const { runDir } = runInfo();
	const sandbox = await startSandboxProcess({
		dir: path.join(runDir, name),
		...options,
		log: (message) => process.stderr.write(`[e2e ${name}] ${message}\n`),
	});
	trackProcess(runDir, sandbox.pid, `sandbox (${name})`);
	const call = <T>(method: string, args: object = {}) => sandbox.control(method, args) as Promise<T>;
	const logTail = (lines = 30) => sandbox.logs().split('\n').slice(-lines).join('\n');
	const self: E2eSandbox = {
		baseUrl: sandbox.baseUrl,
		info: sandbox.info,
		credentialData: (buyer) => sandbox.credentialData(buyer),
		ticket: (ref) => call<Ticket>('ticket', { ref }),
		notifications: (ref) => call<NotificationRecord[]>('notifications', { ref }),
		acknowledgements: (ref) => call<AcknowledgementRecord[]>('acknowledgements', { ref }),
		exchanges: (operation) => call<ExchangeRecord[]>('exchanges', operation ? { operation } : {}),
		async duplicateNext(count = 1) {
			await call('duplicateNext', { count });
		},
		resend: (id, freshMessageId = false) => call<NotificationRecord>('resend', { id, freshMessageId }),
		async setNotifyUrl(url) {
			await call('setNotifyUrl', { url });
		},
		waitForTicket: (ref, done, what, timeoutMs = 90_000) => poll(() => self.ticket(ref), done, what, timeoutMs, logTail),
		waitForDeliveries: (ref, done, what, timeoutMs = 90_000) => poll(() => self.notifications(ref), done, what, timeoutMs, logTail),
		waitForAcknowledgements: (ref, done, what, timeoutMs = 90_000) => poll(() => self.acknowledgements(ref), done, what, timeoutMs, logTail),
		logTail,
		async stop() {
			await sandbox.stop();
			untrackProcess(runDir, sandbox.pid);
		},
	};
	return self;
}

/** Every notification was answered and none is queued or waiting for a retry. */
export function allSettled(notifications: NotificationRecord[]): boolean {
	return notifications.every((n) => n.state === 'delivered' || n.state === 'failed');
}
