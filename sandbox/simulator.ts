/**
 * CityFibre's side of the Ticketing API, minus the network: it answers each Buyer operation, keeps
 * the tickets and appointment reservations, moves tickets through their lifecycle on the
 * simulated clock and hands every change to the notifier. Requests are checked with the
 * catalogue's validator; every answer and notification is written by the codec from the
 * catalogue's definitions.
 */
import { randomUUID } from 'node:crypto';

import type { OperationName, TicketStatus } from '../nodes/CityFibre/catalogue';
import {
	DEFAULT_API_VERSION,
	OPERATIONS,
	SERVICE_OUTAGE,
	SUCCESS_RESPONSE_CODES,
	eventsOf,
	normaliseStatus,
	notifyFaultReportUpdate,
} from '../nodes/CityFibre/catalogue';
import type { JsonObject, JsonValue, ReadMessage, ValidationIssue, WritableObject } from '../nodes/CityFibre/codec';
import { fillAutoValues, messageIdOf, readMessage, validationIssues, writeMessage } from '../nodes/CityFibre/codec';
import type { Reservation, Slot } from './appointments';
import { availableSlots, sameSlot, slotProblem } from './appointments';
import type { SimulatedClock } from './clock';
import type { LifecycleTimings, StepAction } from './lifecycle';
import type { SandboxLog } from './log';
import { nextStep } from './lifecycle';
import type { NotificationReason, NotificationRecord, Notifier } from './notifier';
import { ticketKey } from './notifier';
import type { Random } from './random';
import type { Actor, Ticket, TicketAppointment } from './tickets';
import { copy, currentAppointment, mergeDetails, notificationValues, ticketDetailsFrom } from './tickets';

/**
 * `responseCode` values the sandbox answers with. The real code list is not documented
 * (reference §2.7): success is the catalogue's first success code; refusals borrow HTTP's words.
 */
export const RESPONSE_CODES = {
	ok: SUCCESS_RESPONSE_CODES[0],
	/** The request broke the catalogue's rules (missing or malformed data). */
	invalid: '400',
	/** It names something the sandbox does not know: a service, a ticket, a reservation key. */
	unknown: '404',
	/** It conflicts with the current state: a duplicate reference, a ticket in the wrong status, a taken slot. */
	conflict: '409',
} as const;

/** Who CityFibre's progress notes are from. */
export const UPDATED_BY = 'CityFibre Sandbox';

/** The default closure code of a completed appointment (CityFibre's codes are not documented). */
export const DEFAULT_CLOSURE_CODE = 'FR';

/** A simulated 24 hours: how long an appointment reservation key stays usable. */
export const DEFAULT_RESERVATION_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface Reply {
	httpStatus: number;
	xml: string;
	/** For the exchange record and log line: what happened, in one word, and why. */
	outcome: 'ok' | 'rejected' | 'refused' | 'invalid';
	detail?: string;
	buyerFaultReference?: string;
}

export interface SimulatorOptions {
	clock: SimulatedClock;
	random: Random;
	notifier: Notifier;
	serviceIds: Iterable<string>;
	autoProgress: boolean;
	/** Chance (0–1) that a spell of work pauses On Hold. */
	holdProbability: number;
	timings: LifecycleTimings;
	reservationLifetimeMs: number;
	log: SandboxLog;
	/** Called after every change, so the state file can follow. */
	changed: () => void;
}

/** A control request that cannot be carried out; `status` is the HTTP status the control interface answers with. */
export class ControlError extends Error {
	readonly name = 'ControlError';
	constructor(
		message: string,
		readonly status: number = 400,
	) {
		super(message);
	}
}

export type AppointmentAction = 'confirm' | 'fail' | 'cancel' | 'complete' | 'miss';

/** Next-notification switches set through the control interface. */
interface NotificationSwitches {
	duplicate: number;
	swap: number;
}

export interface SimulatorState {
	counters: { maintainer: number; reservation: number };
	addedServiceIds: string[];
	tickets: Ticket[];
	reservations: Reservation[];
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: JsonValue | undefined): string {
	return typeof value === 'string' ? value.trim() : value === undefined ? '' : String(value);
}

function issuesText(issues: readonly ValidationIssue[]): string {
	return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** The request header values a response echoes, in either header style. */
function headerOf(body: JsonObject): { buyerIdentifier: string; apiVersion?: string; messageId?: string; correlationId?: string } {
	const buyer = isObject(body.buyer) ? body.buyer : {};
	const message = isObject(body.message) ? body.message : {};
	return {
		buyerIdentifier: text(body.buyerIdentifier) || text(buyer.buyerIdentifier),
		apiVersion: text(body.apiVersion) || undefined,
		messageId: messageIdOf(body as WritableObject),
		correlationId: text(message.correlationId) || undefined,
	};
}

function isReply(found: Ticket | Reply): found is Reply {
	return 'xml' in found;
}

/** The buyer identifier a request claims, in either header style. */
export function buyerIdentifierOf(body: JsonObject): string {
	return headerOf(body).buyerIdentifier;
}

export class Simulator {
	readonly tickets = new Map<string, Ticket>();
	readonly reservations = new Map<string, Reservation>();
	readonly services: Set<string>;
	readonly addedServiceIds = new Set<string>();
	private counters = { maintainer: 0, reservation: 0 };
	private readonly cancelTimers = new Map<string, () => void>();
	private readonly switches: NotificationSwitches = { duplicate: 0, swap: 0 };

	constructor(private readonly options: SimulatorOptions) {
		this.services = new Set(options.serviceIds);
	}

	// --- State -------------------------------------------------------------------------------------

	snapshot(): SimulatorState {
		return {
			counters: { ...this.counters },
			addedServiceIds: [...this.addedServiceIds],
			tickets: [...this.tickets.values()].map(copy),
			reservations: [...this.reservations.values()].map(copy),
		};
	}

	restore(state: SimulatorState): void {
		this.counters = { ...state.counters };
		for (const id of state.addedServiceIds) this.addService(id);
		for (const reservation of state.reservations) this.reservations.set(reservation.appointmentReservationKey, reservation);
		for (const ticket of state.tickets) {
			this.tickets.set(ticketKey(ticket), ticket);
			this.schedule(ticket, true);
		}
	}

	stop(): void {
		for (const cancel of this.cancelTimers.values()) cancel();
		this.cancelTimers.clear();
	}

	addService(id: string): void {
		const trimmed = id.trim();
		if (!trimmed) throw new ControlError('A service ID cannot be empty');
		if (!this.services.has(trimmed)) this.addedServiceIds.add(trimmed);
		this.services.add(trimmed);
	}

	// --- The Buyer's operations ----------------------------------------------------------------------

	handle(operation: OperationName, message: ReadMessage): Reply {
		const body = message.body;
		if (operation === 'addFaultReport') return this.addFaultReport(body);
		const issues = validationIssues(OPERATIONS[operation].request, body as WritableObject);
		if (issues.length) {
			const detail = issuesText(issues);
			return { ...this.respond(operation, body, { responseCode: RESPONSE_CODES.invalid, errorMessage: detail }, 400), outcome: 'invalid', detail };
		}
		switch (operation) {
			case 'amendFaultReport':
				return this.amendFaultReport(body);
			case 'requestFaultReportUpdate':
				return this.requestFaultReportUpdate(body);
			case 'resolveResponse':
				return this.resolveResponse(body);
			case 'queryAppointmentAvailability':
				return this.queryAppointmentAvailability(body);
			case 'reserveAppointment':
				return this.reserveAppointment(body);
			case 'requestServiceDiagnostics':
				return this.requestServiceDiagnostics(body);
		}
	}

	/** The operation's response, written from the catalogue, echoing the request's header. */
	private respond(operation: OperationName, request: JsonObject, values: WritableObject, httpStatus = 200): Omit<Reply, 'outcome'> {
		const definition = OPERATIONS[operation].response;
		const header = headerOf(request);
		const filled = fillAutoValues(definition, values, { ...header, apiVersion: header.apiVersion ?? DEFAULT_API_VERSION, now: this.options.clock.date() });
		return { httpStatus, xml: writeMessage(definition, filled), buyerFaultReference: text(values.buyerFaultReference as JsonValue) || undefined };
	}

	private ok(operation: OperationName, request: JsonObject, values: WritableObject, detail?: string): Reply {
		return { ...this.respond(operation, request, { ...values, responseCode: RESPONSE_CODES.ok }), outcome: 'ok', detail };
	}

	/** A business refusal: HTTP 200 with a non-success responseCode and the reason in errorMessage. */
	private refuse(operation: OperationName, request: JsonObject, code: string, reason: string, values: WritableObject = {}): Reply {
		return { ...this.respond(operation, request, { ...values, responseCode: code, errorMessage: reason }), outcome: 'refused', detail: reason };
	}

	private addFaultReport(body: JsonObject): Reply {
		const buyerFaultReference = text(body.buyerFaultReference);
		const reject = (code: string, reason: string): Reply => ({
			...this.respond('addFaultReport', body, { buyerFaultReference, status: 'Rejected', responseCode: code, errorMessage: reason }),
			outcome: 'rejected',
			detail: reason,
		});
		// Missing mandatory data and the Service Outage / reservation key rule both live in the catalogue.
		const issues = validationIssues(OPERATIONS.addFaultReport.request, body as WritableObject);
		if (issues.length) return reject(RESPONSE_CODES.invalid, issuesText(issues));
		const { buyerIdentifier } = headerOf(body);
		const serviceId = text(body.serviceAffected);
		if (!this.services.has(serviceId)) return reject(RESPONSE_CODES.unknown, `serviceAffected: unknown service ID "${serviceId}"`);
		const key = ticketKey({ buyerIdentifier, buyerFaultReference });
		if (this.tickets.has(key)) return reject(RESPONSE_CODES.conflict, `buyerFaultReference: "${buyerFaultReference}" is already used by another fault report`);
		const reservationKey = text(isObject(body.appointment) ? body.appointment.appointmentReservationKey : undefined);
		let reservation: Reservation | undefined;
		if (reservationKey) {
			const found = this.usableReservation(reservationKey, buyerIdentifier);
			if (typeof found === 'string') return reject(found.startsWith('unknown') ? RESPONSE_CODES.unknown : RESPONSE_CODES.conflict, `appointment.appointmentReservationKey: ${found}`);
			reservation = found;
		}

		const now = this.options.clock.iso();
		const ticket: Ticket = {
			buyerIdentifier,
			buyerFaultReference,
			status: 'Pending',
			details: ticketDetailsFrom(body),
			updates: [],
			appointments: [],
			history: [{ status: 'Pending', at: now, by: 'buyer' }],
			raisedAt: now,
			holdDrawn: false,
		};
		if (reservation) {
			reservation.usedBy = buyerFaultReference;
			ticket.appointments.push({ appointmentReservationKey: reservation.appointmentReservationKey, ...reservation.slot });
		}
		this.tickets.set(key, ticket);
		this.schedule(ticket);
		this.options.changed();
		return this.ok('addFaultReport', body, { buyerFaultReference, status: 'Pending' }, 'Pending');
	}

	/** The reservation behind a key, if this buyer may use it now; otherwise why not. */
	private usableReservation(key: string, buyerIdentifier: string): Reservation | string {
		const reservation = this.reservations.get(key);
		if (!reservation || reservation.buyerIdentifier !== buyerIdentifier) return `unknown reservation key "${key}" (reserve an appointment first)`;
		if (reservation.usedBy) return `reservation key "${key}" is already used by fault report "${reservation.usedBy}"`;
		if (reservation.expiresAt <= this.options.clock.now()) {
			return `reservation key "${key}" expired at ${new Date(reservation.expiresAt).toISOString()} (reserve the appointment again)`;
		}
		return reservation;
	}

	/** The ticket a request names, or the refusal to answer with. */
	private findTicket(operation: OperationName, body: JsonObject): Ticket | Reply {
		const { buyerIdentifier } = headerOf(body);
		const buyerFaultReference = text(body.buyerFaultReference);
		const ticket = this.tickets.get(ticketKey({ buyerIdentifier, buyerFaultReference }));
		if (!ticket) return this.refuse(operation, body, RESPONSE_CODES.unknown, `buyerFaultReference: no fault report "${buyerFaultReference}"`, { buyerFaultReference });
		const maintainerFaultReference = text(body.maintainerFaultReference);
		if (maintainerFaultReference && maintainerFaultReference !== ticket.maintainerFaultReference) {
			const has = ticket.maintainerFaultReference ? `"${ticket.maintainerFaultReference}"` : 'none yet (it is given on acceptance)';
			return this.refuse(
				operation,
				body,
				RESPONSE_CODES.unknown,
				`maintainerFaultReference: "${maintainerFaultReference}" is not the reference of fault report "${buyerFaultReference}" (it has ${has})`,
				{ buyerFaultReference },
			);
		}
		return ticket;
	}

	private amendFaultReport(body: JsonObject): Reply {
		const found = this.findTicket('amendFaultReport', body);
		if (isReply(found)) return found;
		const ticket = found;
		const { buyerFaultReference } = ticket;
		if (ticket.status === 'Closed' || ticket.status === 'Rejected') {
			return this.refuse('amendFaultReport', body, RESPONSE_CODES.conflict, `fault report "${buyerFaultReference}" is ${ticket.status} and can no longer be amended`, { buyerFaultReference });
		}
		const change = ticketDetailsFrom(body);
		const service = change.serviceAffected;
		if (service !== undefined && service !== ticket.details.serviceAffected) {
			return this.refuse('amendFaultReport', body, RESPONSE_CODES.conflict, `serviceAffected: a fault report's service cannot change (raise a new one for "${String(service)}")`, { buyerFaultReference });
		}
		const reservationKey = text(isObject(body.appointment) ? body.appointment.appointmentReservationKey : undefined);
		let reservation: Reservation | undefined;
		if (reservationKey && reservationKey !== currentAppointment(ticket)?.appointmentReservationKey) {
			const usable = this.usableReservation(reservationKey, ticket.buyerIdentifier);
			if (typeof usable === 'string') {
				const code = usable.startsWith('unknown') ? RESPONSE_CODES.unknown : RESPONSE_CODES.conflict;
				return this.refuse('amendFaultReport', body, code, `appointment.appointmentReservationKey: ${usable}`, { buyerFaultReference });
			}
			reservation = usable;
		}

		const changed = mergeDetails(ticket.details, change);
		if (reservation) {
			reservation.usedBy = buyerFaultReference;
			ticket.appointments.push({ appointmentReservationKey: reservation.appointmentReservationKey, ...reservation.slot });
			changed.push('appointment');
		}
		// The note starts with "Amended": that is how the catalogue recognises the amended event.
		const what = changed.length ? changed.join(', ') : 'no field changed';
		this.addUpdate(ticket, `Amended at the buyer's request: ${what}`, ticket.buyerIdentifier);
		this.notify(ticket, 'amended');
		if (reservation) this.schedule(ticket);
		this.options.changed();
		return this.ok('amendFaultReport', body, { buyerFaultReference }, `amended ${what}`);
	}

	private requestFaultReportUpdate(body: JsonObject): Reply {
		const found = this.findTicket('requestFaultReportUpdate', body);
		if (isReply(found)) return found;
		this.notify(found, 'fullUpdate');
		this.options.changed();
		return this.ok('requestFaultReportUpdate', body, { buyerFaultReference: found.buyerFaultReference }, `full update (${found.status}) queued`);
	}

	private resolveResponse(body: JsonObject): Reply {
		const found = this.findTicket('resolveResponse', body);
		if (isReply(found)) return found;
		const ticket = found;
		const accepted = body.resolveAccepted === true;
		const echo = { buyerFaultReference: ticket.buyerFaultReference, resolveAccepted: accepted };
		if (ticket.status !== 'Resolved') {
			return this.refuse(
				'resolveResponse',
				body,
				RESPONSE_CODES.conflict,
				`fault report "${ticket.buyerFaultReference}" is ${ticket.status}, not Resolved: only a resolution can be accepted or rejected`,
				echo,
			);
		}
		if (accepted) this.transition(ticket, 'Closed', 'buyer', 'Resolution accepted by the buyer; ticket closed');
		else this.transition(ticket, 'Re-Opened', 'buyer', `Resolution rejected by the buyer: ${text(body.rejectedReason)}`);
		return this.ok('resolveResponse', body, echo, accepted ? 'accepted → Closed' : 'rejected → Re-Opened');
	}

	private slotTaken(addressKey: string, slot: Slot, except?: string): boolean {
		const now = this.options.clock.now();
		for (const r of this.reservations.values()) {
			if (r.appointmentReservationKey === except || r.addressKey !== addressKey) continue;
			if ((r.usedBy || r.expiresAt > now) && sameSlot(r.slot, slot)) return true;
		}
		return false;
	}

	private queryAppointmentAvailability(body: JsonObject): Reply {
		const addressKey = text(body.addressKey);
		const slots = availableSlots(text(body.appointmentsFrom), this.options.clock.now(), (slot) => this.slotTaken(addressKey, slot));
		return this.ok('queryAppointmentAvailability', body, { appointmentSlots: slots as unknown as WritableObject[] }, `${slots.length} slots`);
	}

	private reserveAppointment(body: JsonObject): Reply {
		const requested = isObject(body.appointmentSlot) ? body.appointmentSlot : {};
		const slot: Slot = {
			appointmentDate: text(requested.appointmentDate),
			appointmentStartTime: text(requested.appointmentStartTime),
			appointmentEndTime: text(requested.appointmentEndTime),
		};
		const addressKey = text(body.addressKey);
		const problem = slotProblem(slot, this.options.clock.now());
		if (problem) return this.refuse('reserveAppointment', body, RESPONSE_CODES.conflict, `appointmentSlot: ${problem}`);
		if (this.slotTaken(addressKey, slot)) {
			return this.refuse('reserveAppointment', body, RESPONSE_CODES.conflict, `appointmentSlot: ${slot.appointmentDate} ${slot.appointmentStartTime} is already reserved at this address`);
		}
		this.counters.reservation++;
		const key = `RES-${String(this.counters.reservation).padStart(6, '0')}`;
		const now = this.options.clock.now();
		this.reservations.set(key, {
			appointmentReservationKey: key,
			buyerIdentifier: headerOf(body).buyerIdentifier,
			addressKey,
			slot,
			reservedAt: new Date(now).toISOString(),
			expiresAt: now + this.options.reservationLifetimeMs,
		});
		this.options.changed();
		return this.ok('reserveAppointment', body, { appointmentReservationKey: key, appointmentSlot: { ...slot } }, key);
	}

	private requestServiceDiagnostics(body: JsonObject): Reply {
		const serviceId = text(body.serviceId);
		if (!this.services.has(serviceId)) {
			return this.refuse('requestServiceDiagnostics', body, RESPONSE_CODES.unknown, `serviceId: unknown service ID "${serviceId}"`, { serviceId });
		}
		return this.ok('requestServiceDiagnostics', body, { serviceId, supplierDiagnostics: this.diagnosticsOf(serviceId) }, serviceId);
	}

	/**
	 * What the diagnostics say: down while a Service Outage ticket is open on the service (or for
	 * the seed IDs named DOWN), the Buyer's side down for the seed IDs named ISP, healthy otherwise.
	 */
	private diagnosticsOf(serviceId: string): WritableObject {
		const outage = [...this.tickets.values()].some(
			(t) =>
				t.details.serviceAffected === serviceId &&
				t.status !== 'Closed' &&
				t.status !== 'Rejected' &&
				isObject(t.details.faultDetails) &&
				t.details.faultDetails.type === SERVICE_OUTAGE,
		);
		const down = outage || /DOWN/i.test(serviceId);
		const ispSide = !down && /ISP/i.test(serviceId);
		const lastEventTime = new Date(this.options.clock.now() - 60 * 60 * 1000).toISOString();
		const status = (value: string, previous: string) => ({ status: value, lastEventTime, changeFromPrevious: value === previous ? 'No change' : previous });
		return {
			ontStatus: down ? status('Dying Gasp', 'Service Up') : status('Service Up', 'Service Up'),
			cfmStatus: down ? status('Down CF', 'Up') : ispSide ? status('Down ISP', 'Up') : status('Up', 'Up'),
			uniPortStatus: ispSide ? status('Down', 'Up') : status(down ? 'Down' : 'Up', 'Up'),
			nodes: [
				{ name: 'ENNI-LDN-01', role: 'ENNI', rag: 'Green' },
				{ name: 'IC-LDN-02', role: 'Interconnect', rag: 'Green' },
				{ name: `PON-${serviceId}`, role: 'PON', rag: down ? 'Red' : 'Green' },
			],
			utilisation: 'Normal (peak 41% in the last busy hour)',
		};
	}

	// --- Lifecycle -----------------------------------------------------------------------------------

	private isServiceOutage(ticket: Ticket): boolean {
		return isObject(ticket.details.faultDetails) && ticket.details.faultDetails.type === SERVICE_OUTAGE;
	}

	/** (Re)schedules the ticket's next automatic step; `resume` keeps a step saved before a restart. */
	private schedule(ticket: Ticket, resume = false): void {
		const key = ticketKey(ticket);
		this.cancelTimers.get(key)?.();
		this.cancelTimers.delete(key);
		const { options } = this;
		const keep = resume && ticket.next && (options.autoProgress || ticket.next.action === 'autoClose');
		if (!keep) {
			const step = nextStep(ticket, {
				timings: options.timings,
				autoProgress: options.autoProgress,
				isServiceOutage: this.isServiceOutage(ticket),
				drawHold: () => options.random() < options.holdProbability,
			});
			// The 48 hours run from the resolution, whatever else (an appointment change, an amendment) reschedules the ticket.
			const from = step?.action === 'autoClose' && ticket.resolvedAt ? Date.parse(ticket.resolvedAt) : options.clock.now();
			ticket.next = step ? { action: step.action, at: from + step.delay } : undefined;
		}
		const next = ticket.next;
		if (!next) return;
		this.cancelTimers.set(
			key,
			options.clock.at(next.at, () => {
				this.cancelTimers.delete(key);
				try {
					this.runStep(ticket, next.action as StepAction);
				} catch (error) {
					options.log(`ticket ${ticket.buyerFaultReference}: automatic step ${next.action} failed: ${(error as Error).message}`, 'error');
				}
			}),
		);
	}

	private runStep(ticket: Ticket, action: StepAction): void {
		ticket.next = undefined;
		switch (action) {
			case 'accept':
				return this.transition(ticket, 'Accepted', 'cityfibre');
			case 'start':
				return this.transition(ticket, 'In Progress', 'cityfibre');
			case 'hold':
				return this.transition(ticket, 'On Hold', 'cityfibre');
			case 'resume':
				return this.transition(ticket, 'In Progress', 'cityfibre', 'Work resumed');
			case 'resolve':
				return this.transition(ticket, 'Resolved', 'cityfibre');
			case 'autoClose':
				return this.transition(ticket, 'Closed', 'timer', `Closed automatically: no answer to the resolution within ${this.options.timings.autoClose / 3_600_000} hours`);
			case 'confirmAppointment':
				this.appointmentChange(ticket, 'confirm');
				return;
			case 'completeAppointment':
				this.appointmentChange(ticket, 'complete');
				return;
		}
	}

	private static readonly DEFAULT_NOTES: Record<TicketStatus, string> = {
		Pending: 'Fault report received',
		Rejected: 'Fault report rejected',
		Accepted: 'Fault report accepted',
		'In Progress': 'Engineer assigned; investigation under way',
		'On Hold': 'Work paused: waiting for access to the site',
		Resolved: 'Fault fixed: please accept or reject the resolution within 48 hours',
		'Re-Opened': 'Ticket re-opened',
		Closed: 'Ticket closed',
	};

	/** Moves a ticket to `status`, notes why, notifies the Buyer and schedules what follows. */
	transition(ticket: Ticket, status: TicketStatus, by: Actor, note?: string): void {
		const now = this.options.clock.iso();
		if (status !== 'Pending' && status !== 'Rejected' && !ticket.maintainerFaultReference) {
			this.counters.maintainer++;
			ticket.maintainerFaultReference = `CF-${String(this.counters.maintainer).padStart(6, '0')}`;
		}
		if (status === 'Resolved') ticket.resolvedAt = now;
		if (status === 'Re-Opened') ticket.holdDrawn = false;
		ticket.status = status;
		ticket.history.push({ status, at: now, by });
		let description = note ?? Simulator.DEFAULT_NOTES[status];
		if (status === 'Accepted' && !note) description = `${description}: CityFibre reference ${ticket.maintainerFaultReference}`;
		this.options.log(`ticket ${ticket.buyerFaultReference} → ${status} (${by})`);
		this.addUpdate(ticket, description);
		this.notify(ticket, 'status');
		this.schedule(ticket);
		this.options.changed();
	}

	private addUpdate(ticket: Ticket, description: string, updatedBy = UPDATED_BY): void {
		// Notes must not start with "Amend" unless they report an amendment (the catalogue's amended event).
		ticket.updates.push({ description, updatedBy, updatedTime: this.options.clock.iso() });
	}

	/** Applies an appointment change, notes it and notifies the Buyer. */
	appointmentChange(ticket: Ticket, action: AppointmentAction, options: { closureCode?: string; note?: string } = {}): TicketAppointment | undefined {
		const appointment = currentAppointment(ticket);
		if (!appointment) throw new ControlError(`fault report "${ticket.buyerFaultReference}" has no appointment`, 409);
		const when = `${appointment.appointmentDate} ${appointment.appointmentStartTime}–${appointment.appointmentEndTime}`;
		let reason: NotificationReason = 'appointment';
		let missed: string | undefined;
		switch (action) {
			case 'confirm':
				appointment.appointmentConfirmationStatus = 'Confirmed';
				this.addUpdate(ticket, options.note ?? `Appointment confirmed for ${when}`);
				break;
			case 'fail':
				appointment.appointmentConfirmationStatus = 'Failed';
				this.addUpdate(ticket, options.note ?? `Appointment for ${when} could not be confirmed: please reserve another slot`);
				break;
			case 'cancel':
				appointment.appointmentCancelled = true;
				this.addUpdate(ticket, options.note ?? `Appointment for ${when} cancelled: please reserve another slot`);
				break;
			case 'complete':
				appointment.appointmentClosureCode = options.closureCode ?? DEFAULT_CLOSURE_CODE;
				this.addUpdate(ticket, options.note ?? `Engineer visit of ${when} completed (closure code ${appointment.appointmentClosureCode})`);
				break;
			case 'miss':
				reason = 'missedAppointment';
				missed = options.note ?? 'Engineer could not gain access to the premises';
				this.addUpdate(ticket, `Missed appointment of ${when}: ${missed}`);
				break;
			default:
				throw new ControlError(`unknown appointment action "${String(action)}": use confirm, fail, cancel, complete or miss`);
		}
		this.options.log(`ticket ${ticket.buyerFaultReference} appointment ${action}`);
		this.notify(ticket, reason, missed);
		this.schedule(ticket);
		this.options.changed();
		return appointment;
	}

	// --- Notifications -------------------------------------------------------------------------------

	/** Builds the ticket's notification from the catalogue and hands it to the notifier. */
	notify(ticket: Ticket, reason: NotificationReason, missedAppointment?: string): NotificationRecord {
		const values = notificationValues(ticket);
		// A missed appointment is news of one notification, not a lasting part of the ticket.
		if (missedAppointment) values.faultDetails = { ...(values.faultDetails as WritableObject), missedAppointment };
		const messageId = randomUUID();
		const filled = fillAutoValues(notifyFaultReportUpdate, values, {
			buyerIdentifier: ticket.buyerIdentifier,
			messageId,
			now: this.options.clock.date(),
		});
		const xml = writeMessage(notifyFaultReportUpdate, filled);
		const { notifier } = this.options;
		const record: NotificationRecord = {
			id: notifier.nextId(),
			messageId,
			buyerIdentifier: ticket.buyerIdentifier,
			buyerFaultReference: ticket.buyerFaultReference,
			reason,
			status: ticket.status,
			events: eventsOf(readMessage(xml).body),
			sentAt: String(filled.sentAt),
			xml,
			values: copy(filled) as JsonObject,
			state: 'queued',
			attempts: [],
		};
		const swap = this.switches.swap > 0;
		if (swap) this.switches.swap--;
		const duplicate = !swap && this.switches.duplicate > 0;
		if (duplicate) this.switches.duplicate--;
		notifier.send(record, { swap, duplicate });
		return record;
	}

	/** The next `count` notifications are each delivered twice, with the same messageId. */
	duplicateNext(count: number): void {
		this.switches.duplicate += count;
	}

	/** The next notification is held back and delivered after the same ticket's following one. */
	swapNext(count: number): void {
		this.switches.swap += count;
	}

	/** Sends an earlier notification again now: same messageId (a duplicate), or a fresh one (a late, out-of-order update). */
	resend(id: number, freshMessageId: boolean): NotificationRecord {
		const { notifier } = this.options;
		const original = notifier.records.find((r) => r.id === id);
		if (!original) throw new ControlError(`no notification #${id}`, 404);
		let fresh: Parameters<Notifier['copy']>[2];
		if (freshMessageId) {
			const messageId = randomUUID();
			const values = { ...original.values, messageId };
			fresh = { messageId, values, sentAt: original.sentAt, xml: writeMessage(notifyFaultReportUpdate, values as WritableObject) };
		}
		const record = notifier.copy(original, 'resend', fresh);
		notifier.enqueue(record);
		return record;
	}

	// --- Look-ups for the control interface ----------------------------------------------------------

	/** A ticket by either reference (the Buyer's or CityFibre's), optionally of one buyer. */
	ticketByRef(ref: string, buyerIdentifier?: string): Ticket {
		const matches = [...this.tickets.values()].filter(
			(t) => (t.buyerFaultReference === ref || t.maintainerFaultReference === ref) && (!buyerIdentifier || t.buyerIdentifier === buyerIdentifier),
		);
		if (!matches.length) throw new ControlError(`no fault report "${ref}"`, 404);
		if (matches.length > 1) throw new ControlError(`"${ref}" names fault reports of several buyers: give buyerIdentifier too`, 409);
		return matches[0];
	}

	setStatus(ref: string, status: string, options: { note?: string; buyerIdentifier?: string } = {}): Ticket {
		const ticket = this.ticketByRef(ref, options.buyerIdentifier);
		const canonical = normaliseStatus(status);
		if (!canonical) throw new ControlError(`unknown status "${status}"`);
		this.transition(ticket, canonical, 'control', options.note);
		return ticket;
	}
}
