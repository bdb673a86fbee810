/**
 * The control interface: what tests, `npm run dev` and users drive the sandbox with. The same
 * object serves in process (`sandbox.control.setStatus({...})`) and over HTTP on the sandbox's own
 * port (`POST /_sandbox/setStatus` with the same arguments as JSON, behind the same mutual TLS).
 * Every method takes one plain object and returns plain JSON-able data (copies, never live state).
 */
import type { Reservation } from './appointments';
import type { SimulatedClock } from './clock';
import type { ArmedFault, FaultInjector, FaultSpec } from './faults';
import type { AcknowledgementRecord, NotificationRecord, Notifier } from './notifier';
import type { AppointmentAction, Simulator } from './simulator';
import { ControlError } from './simulator';
import type { Ticket } from './tickets';
import { copy } from './tickets';

export interface SandboxStats {
	/** TLS sessions established (each new connection that passed the handshake). */
	handshakes: number;
	/** Of those, sessions resumed from an earlier one. */
	resumedSessions: number;
	/** Handshakes refused (no client certificate, or one the sandbox's CA did not sign). */
	refusedHandshakes: number;
	/** Connections open now. */
	openConnections: number;
	/** Buyer API calls received (control calls not counted). */
	requests: number;
}

/** One Buyer API call and the sandbox's answer. */
export interface ExchangeRecord {
	id: number;
	/** Real time, ISO 8601. */
	at: string;
	/** Simulated time, ISO 8601. */
	simulatedAt: string;
	path: string;
	operation?: string;
	httpStatus?: number;
	outcome: 'ok' | 'rejected' | 'refused' | 'invalid' | 'forbidden' | 'malformed' | 'notFound' | 'error' | 'injected';
	detail?: string;
	messageId?: string;
	buyerIdentifier?: string;
	buyerFaultReference?: string;
	/** The fault injected into this call, if any. */
	fault?: FaultSpec;
	requestXml?: string;
	responseXml?: string;
	durationMs?: number;
}

export interface ControlParts {
	simulator: Simulator;
	notifier: Notifier;
	faults: FaultInjector;
	clock: SimulatedClock;
	stats: () => SandboxStats;
	exchanges: ExchangeRecord[];
	/** Closes idle keep-alive connections, so the next call opens a new one. */
	closeIdleConnections: () => void;
	changed: () => void;
}

type Ref = { ref: string; buyerIdentifier?: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function positive(value: unknown, name: string, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new ControlError(`${name} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
	return n;
}

function required(value: unknown, name: string): string {
	if (typeof value !== 'string' || value.trim() === '') throw new ControlError(`${name} is required`);
	return value.trim();
}

export class SandboxControl {
	constructor(private readonly parts: ControlParts) {}

	// --- Tickets ---------------------------------------------------------------------------------

	/** Every ticket, oldest first. */
	tickets(): Ticket[] {
		return [...this.parts.simulator.tickets.values()].map(copy);
	}

	/** One ticket, by the Buyer's or CityFibre's reference. */
	ticket(args: Ref): Ticket {
		return copy(this.parts.simulator.ticketByRef(required(args?.ref, 'ref'), args.buyerIdentifier));
	}

	/** Moves a ticket to a status now (any of the catalogue's statuses, any spelling), with a notification. */
	setStatus(args: Ref & { status: string; note?: string }): Ticket {
		const ticket = this.parts.simulator.setStatus(required(args?.ref, 'ref'), required(args.status, 'status'), args);
		return copy(ticket);
	}

	/** Confirms, fails, cancels, completes (closure code, default FR) or misses the ticket's current appointment, with a notification. */
	appointment(args: Ref & { action: AppointmentAction; closureCode?: string; note?: string }): Ticket {
		const { simulator } = this.parts;
		const ticket = simulator.ticketByRef(required(args?.ref, 'ref'), args.buyerIdentifier);
		simulator.appointmentChange(ticket, required(args.action, 'action') as AppointmentAction, args);
		return copy(ticket);
	}

	/** Every appointment reservation. */
	reservations(): Reservation[] {
		return [...this.parts.simulator.reservations.values()].map(copy);
	}

	// --- Notifications ---------------------------------------------------------------------------

	/** Every notification with its delivery attempts, in creation order; `ref` narrows to one ticket. */
	notifications(args: { ref?: string } = {}): NotificationRecord[] {
		const all = this.parts.notifier.records;
		const ref = args?.ref;
		return (ref ? all.filter((n) => n.buyerFaultReference === ref || n.values.maintainerFaultReference === ref) : all).map(copy);
	}

	/** Every answer the Buyer's endpoint gave, valid or not. */
	acknowledgements(args: { ref?: string } = {}): AcknowledgementRecord[] {
		const ids = args?.ref ? new Set(this.notifications({ ref: args.ref }).map((n) => n.id)) : undefined;
		return this.parts.notifier.acknowledgements.filter((a) => !ids || ids.has(a.notificationId)).map(copy);
	}

	/** The next `count` notifications are each delivered twice with the same messageId. */
	duplicateNext(args: { count?: number } = {}): { count: number } {
		const count = positive(args?.count, 'count', 1);
		this.parts.simulator.duplicateNext(count);
		return { count };
	}

	/** The next `count` notifications are each held back and delivered after their ticket's following one. */
	swapNext(args: { count?: number } = {}): { count: number } {
		const count = positive(args?.count, 'count', 1);
		this.parts.simulator.swapNext(count);
		return { count };
	}

	/** Delivers every notification still held back by swapNext. */
	releaseHeld(): { released: number } {
		return { released: this.parts.notifier.releaseHeld() };
	}

	/** Sends notification `id` again now: the same messageId (a duplicate), or a fresh one (an out-of-order update). */
	resend(args: { id: number; freshMessageId?: boolean }): NotificationRecord {
		const id = positive(args?.id, 'id', NaN);
		const fresh = args.freshMessageId === true || String(args.freshMessageId) === 'true';
		return copy(this.parts.simulator.resend(id, fresh));
	}

	/** Where notifications go from now on (http or https); empty to stop sending. */
	setNotifyUrl(args: { url?: string } = {}): { notifyUrl?: string } {
		try {
			this.parts.notifier.setUrl(args?.url);
		} catch (error) {
			throw new ControlError((error as Error).message);
		}
		return { notifyUrl: this.parts.notifier.url };
	}

	/** Resolves once no notification is queued, in delivery or waiting to retry; a wait that runs out is a 504 answer, not a failure. */
	async idle(args: { timeoutMs?: number } = {}): Promise<{ idle: true }> {
		try {
			await this.parts.notifier.idle(args?.timeoutMs === undefined ? undefined : Number(args.timeoutMs));
		} catch (error) {
			throw new ControlError((error as Error).message, 504);
		}
		return { idle: true };
	}

	// --- The wire ---------------------------------------------------------------------------------

	/** Every Buyer API call with the answer given, oldest first. */
	exchanges(args: { operation?: string } = {}): ExchangeRecord[] {
		const op = args?.operation;
		return this.parts.exchanges.filter((e) => !op || e.operation === op).map(copy);
	}

	/** Arms a fault for the next `count` calls (see faults.ts for what each kind means). */
	injectFault(spec: FaultSpec): ArmedFault {
		let armed: ArmedFault;
		try {
			const count = spec?.count === undefined ? undefined : Number(spec.count);
			const normalised = { ...spec, count } as FaultSpec;
			if (normalised.kind === 'delay') normalised.ms = Number(normalised.ms);
			if (normalised.kind === 'status' && normalised.status !== undefined) normalised.status = Number(normalised.status);
			if (!['status', 'delay', 'drop'].includes(normalised?.kind)) throw new RangeError(`kind must be status, delay or drop, got ${JSON.stringify(spec?.kind)}`);
			armed = this.parts.faults.arm(normalised);
		} catch (error) {
			throw new ControlError((error as Error).message);
		}
		// A kept-alive connection would never see a handshake drop: make the next call connect anew.
		if (armed.spec.kind === 'drop' && armed.spec.at === 'handshake') this.parts.closeIdleConnections();
		return armed;
	}

	faults(): ArmedFault[] {
		return this.parts.faults.list();
	}

	clearFaults(): { cleared: number } {
		return { cleared: this.parts.faults.clear() };
	}

	stats(): SandboxStats {
		return this.parts.stats();
	}

	/** TLS handshakes so far: a client that reuses its connection adds none per call. */
	handshakes(): number {
		return this.parts.stats().handshakes;
	}

	// --- Services and the clock ------------------------------------------------------------------

	/** The service IDs addFaultReport accepts. */
	services(): string[] {
		return [...this.parts.simulator.services].sort();
	}

	addServices(args: { serviceIds: string[] | string }): string[] {
		const ids = Array.isArray(args?.serviceIds) ? args.serviceIds : String(args?.serviceIds ?? '').split(',');
		if (!ids.some((id) => String(id).trim())) throw new ControlError('serviceIds is required');
		for (const id of ids) if (String(id).trim()) this.parts.simulator.addService(String(id));
		this.parts.changed();
		return this.services();
	}

	/** The simulated time and how fast it runs. */
	clock(): { now: string; speed: number } {
		return { now: this.parts.clock.iso(), speed: this.parts.clock.speed };
	}

	/** Jumps simulated time forward (`ms`, `minutes` and/or `hours`); due steps (e.g. the 48-hour auto-close) run. */
	advanceClock(args: { ms?: number; minutes?: number; hours?: number }): { now: string } {
		const ms = Number(args?.ms ?? 0) + Number(args?.minutes ?? 0) * MINUTE_MS + Number(args?.hours ?? 0) * HOUR_MS;
		if (!(ms > 0)) throw new ControlError('give ms, minutes or hours to advance by (a positive amount)');
		this.parts.clock.advance(ms);
		return { now: this.parts.clock.iso() };
	}
}

/** The methods reachable over HTTP, and whether GET may call them (they change nothing). */
export const CONTROL_METHODS: Readonly<Record<string, { readOnly: boolean }>> = {
	tickets: { readOnly: true },
	ticket: { readOnly: true },
	setStatus: { readOnly: false },
	appointment: { readOnly: false },
	reservations: { readOnly: true },
	notifications: { readOnly: true },
	acknowledgements: { readOnly: true },
	duplicateNext: { readOnly: false },
	swapNext: { readOnly: false },
	releaseHeld: { readOnly: false },
	resend: { readOnly: false },
	setNotifyUrl: { readOnly: false },
	idle: { readOnly: true },
	exchanges: { readOnly: true },
	injectFault: { readOnly: false },
	faults: { readOnly: true },
	clearFaults: { readOnly: false },
	stats: { readOnly: true },
	handshakes: { readOnly: true },
	services: { readOnly: true },
	addServices: { readOnly: false },
	clock: { readOnly: true },
	advanceClock: { readOnly: false },
} satisfies Record<Exclude<keyof SandboxControl, 'constructor'>, { readOnly: boolean }>;

export { ControlError };
