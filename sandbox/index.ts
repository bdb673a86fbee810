/**
 * The local CityFibre sandbox, in process: `startSandbox(options)` gives a running simulator of the
 * Ticketing API over mutual TLS, with its certificates, its control interface and `close()`.
 * The command line (`cli.ts`) is a thin shell around it.
 */
import * as path from 'node:path';

import type { SandboxCertificates } from './certs';
import { ensureSandboxCertificates } from './certs';
import { SimulatedClock } from './clock';
import { SandboxControl } from './control';
import { FaultInjector } from './faults';
import type { LifecycleTimings } from './lifecycle';
import type { SandboxLog } from './log';
import { DEFAULT_TIMINGS } from './lifecycle';
import type { DeliveryPolicy } from './notifier';
import { DEFAULT_DELIVERY, Notifier } from './notifier';
import { seededRandom } from './random';
import { CONTROL_PREFIX, SandboxServer } from './server';
import { DEFAULT_RESERVATION_LIFETIME_MS, Simulator } from './simulator';
import type { SavedState } from './state';
import { STATE_VERSION, StateWriter, loadState } from './state';

/** The service IDs addFaultReport accepts out of the box (add more with `--service` or `addServices`). */
export const SEED_SERVICE_IDS: readonly string[] = [
	...Array.from({ length: 20 }, (_, i) => `SERVICE-${String(i + 1).padStart(4, '0')}`),
	// Diagnostics say the line is down (a dying gasp, CFM down on CityFibre's side).
	'SERVICE-DOWN-0001',
	// Diagnostics say the fault is on the Buyer's side (CFM down ISP).
	'SERVICE-ISP-0001',
];

export const DEFAULT_BUYERS: readonly string[] = ['SPDEV1'];
/** 60 simulated seconds per real second: a ticket is accepted in 2 s, resolved in a few minutes. */
export const DEFAULT_CLOCK_SPEED = 60;
export const DEFAULT_HOLD_PROBABILITY = 0.3;
/** The port the CLI uses by default, CityFibre's own (the catalogue's sandbox environment uses it too). */
export const DEFAULT_PORT = 41223;
/** The base path the sandbox reports as its base URL (the catalogue's sandbox environment). */
export const DEFAULT_BASE_PATH = '/cfsit/api2';

export interface SandboxOptions {
	/** 0 (the default here) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Where the certificates are made (first start) and found (later starts). Default `.sandbox/certs`. */
	certsDir?: string;
	/** Passphrase of the Buyer's encrypted key and PKCS#12 bundle; random (kept in the certs folder) when omitted. */
	passphrase?: string;
	/** The Buyer's notification endpoint (http or https). Without it notifications are recorded, not sent. */
	notifyUrl?: string;
	/** Extra CA certificates (PEM) to trust for an https notification endpoint, besides the public ones. */
	notifyCa?: string[];
	/** Buyer identifiers served; others get 403. Default SPDEV1. */
	buyers?: readonly string[];
	/** Service IDs accepted besides SEED_SERVICE_IDS. */
	serviceIds?: readonly string[];
	/** Simulated seconds per real second. Default 60. */
	clockSpeed?: number;
	/** Where tickets persist across restarts (JSON). In memory only when omitted. */
	stateFile?: string;
	/** Seeds the "sometimes On Hold" draws. Random when omitted. */
	seed?: number;
	/** Whether tickets move on their own (default true). Off, only the Buyer's calls, the control interface and the 48-hour auto-close move them. */
	autoProgress?: boolean;
	/** Chance (0–1) that a spell of work pauses On Hold. Default 0.3. */
	holdProbability?: number;
	/** Simulated delays of the lifecycle's steps (ms). */
	timings?: Partial<LifecycleTimings>;
	/** Simulated ms an appointment reservation key stays usable. Default 24 hours. */
	reservationLifetimeMs?: number;
	/** Notification retries and timeout (real ms). */
	delivery?: Partial<DeliveryPolicy>;
	/** One line per exchange, never a secret; failures carry the level 'error'. Default: silent. */
	log?: SandboxLog;
}

export interface Sandbox {
	/** e.g. https://127.0.0.1:41223/cfsit/api2 — operations are POSTed to `${baseUrl}/<operation>`. */
	baseUrl: string;
	/** The server's root, e.g. https://127.0.0.1:41223 (operations are served here and under every gateway prefix too). */
	rootUrl: string;
	/** The control interface over HTTP, e.g. https://127.0.0.1:41223/_sandbox. */
	controlUrl: string;
	host: string;
	port: number;
	buyers: readonly string[];
	/** The seed of the "sometimes On Hold" draw (given or chosen): the same seed repeats a run. */
	seed: number;
	clockSpeed: number;
	autoProgress: boolean;
	/** Tickets read from the state file at start. */
	restoredTickets: number;
	certs: SandboxCertificates;
	control: SandboxControl;
	/** Stops the server, the timers and the deliveries, and writes the state file a last time. */
	close(): Promise<void>;
}

function urlHost(host: string): string {
	if (host === '0.0.0.0') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const buyers = options.buyers?.length ? [...new Set(options.buyers)] : [...DEFAULT_BUYERS];
	const log = options.log ?? (() => undefined);
	const certs = ensureSandboxCertificates(path.resolve(options.certsDir ?? path.join('.sandbox', 'certs')), {
		passphrase: options.passphrase,
		hostNames: [host],
		buyerName: buyers[0],
	});
	const stateFile = options.stateFile ? path.resolve(options.stateFile) : undefined;
	const saved = stateFile ? loadState(stateFile) : undefined;
	const clock = new SimulatedClock(options.clockSpeed ?? DEFAULT_CLOCK_SPEED, saved ? Math.max(saved.clock, Date.now()) : Date.now());
	const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);

	let writer: StateWriter | undefined;
	const changed = () => writer?.changed();
	const notifier = new Notifier({
		notifyUrl: options.notifyUrl,
		policy: { ...DEFAULT_DELIVERY, ...options.delivery },
		tls: { cert: certs.notifier.cert, key: certs.notifier.key, ca: [certs.ca.cert, ...(options.notifyCa ?? [])] },
		log,
		changed,
	});
	const simulator = new Simulator({
		clock,
		random: seededRandom(seed),
		notifier,
		serviceIds: [...SEED_SERVICE_IDS, ...(options.serviceIds ?? [])],
		autoProgress: options.autoProgress ?? true,
		holdProbability: options.holdProbability ?? DEFAULT_HOLD_PROBABILITY,
		timings: { ...DEFAULT_TIMINGS, ...options.timings },
		reservationLifetimeMs: options.reservationLifetimeMs ?? DEFAULT_RESERVATION_LIFETIME_MS,
		log,
		changed,
	});
	if (saved) {
		// Notifications first: a restored ticket's next step may notify, and must number after them.
		notifier.restore(saved.notifications ?? [], saved.acknowledgements ?? []);
		simulator.restore(saved);
	}
	if (stateFile) {
		writer = new StateWriter(
			stateFile,
			(): SavedState => ({
				version: STATE_VERSION,
				savedAt: new Date().toISOString(),
				clock: clock.now(),
				...simulator.snapshot(),
				notifications: notifier.records,
				acknowledgements: notifier.acknowledgements,
			}),
			log,
		);
	}

	const faults = new FaultInjector();
	const server = new SandboxServer({ certs, simulator, faults, clock, buyers: new Set(buyers), log });
	const control = new SandboxControl({
		simulator,
		notifier,
		faults,
		clock,
		stats: () => server.stats(),
		exchanges: server.exchanges,
		closeIdleConnections: () => server.closeIdleConnections(),
		changed,
	});
	server.control = control;

	let port: number;
	try {
		port = await server.listen(options.port ?? 0, host);
	} catch (error) {
		simulator.stop();
		notifier.close();
		clock.stop();
		throw error;
	}
	writer?.flush();
	const rootUrl = `https://${urlHost(host)}:${port}`;

	let closing: Promise<void> | undefined;
	return {
		baseUrl: `${rootUrl}${DEFAULT_BASE_PATH}`,
		rootUrl,
		controlUrl: `${rootUrl}${CONTROL_PREFIX}`,
		host,
		port,
		buyers,
		seed,
		clockSpeed: clock.speed,
		autoProgress: options.autoProgress ?? true,
		restoredTickets: saved?.tickets.length ?? 0,
		certs,
		control,
		close() {
			closing ??= (async () => {
				simulator.stop();
				clock.stop();
				notifier.close();
				await server.close();
				writer?.stop();
			})();
			return closing;
		},
	};
}

export type { SandboxCertificates, CertificateAndKey, CertificateAuthority, IssueOptions, Subject, BuyerCertificate, CertificateFiles } from './certs';
export { CERT_FILES, createCertificateAuthority, encryptPrivateKey, ensureSandboxCertificates, generateRsaKey, issueCertificate, toPkcs12 } from './certs';
export type { ExchangeRecord, SandboxStats } from './control';
export { CONTROL_METHODS, ControlError, SandboxControl } from './control';
export type { ArmedFault, FaultSpec } from './faults';
export type { LifecycleTimings } from './lifecycle';
export type { LogLevel, SandboxLog } from './log';
export { DEFAULT_TIMINGS } from './lifecycle';
export type { AcknowledgementRecord, DeliveryAttempt, DeliveryPolicy, DeliveryState, NotificationReason, NotificationRecord } from './notifier';
export { DEFAULT_DELIVERY } from './notifier';
export { AVAILABILITY_DAYS, SLOT_WINDOWS } from './appointments';
export type { Reservation, Slot } from './appointments';
export { CONTROL_PREFIX, operationOfPath } from './server';
export type { AppointmentAction } from './simulator';
export { DEFAULT_CLOSURE_CODE, RESPONSE_CODES } from './simulator';
export type { Ticket, TicketAppointment, TicketUpdate, StatusChange } from './tickets';
export { READY_PREFIX, formatReadyLine, parseReadyLine, readyInfo } from './readyLine';
export type { ReadyInfo } from './readyLine';
