/**
 * The sandbox's tickets. A ticket keeps what the Buyer told CityFibre in the shape of the
 * catalogue's `notifyFaultReportUpdate` (so a notification is the ticket plus a fresh header),
 * and what CityFibre adds: its reference, the status, progress notes and appointments.
 * Which fields a ticket keeps is read from the catalogue, never listed here.
 */
import type { Field, TicketStatus } from '../nodes/CityFibre/catalogue';
import { notifyFaultReportUpdate } from '../nodes/CityFibre/catalogue';
import type { JsonObject, WritableObject, WritableValue } from '../nodes/CityFibre/codec';

/** One progress note, as a `updates/update` item of the notification. */
export interface TicketUpdate extends WritableObject {
	description: string;
	updatedBy: string;
	updatedTime: string;
}

/** One engineer appointment, as an `appointments/appointment` item of the notification. */
export interface TicketAppointment extends WritableObject {
	appointmentReservationKey: string;
	appointmentDate: string;
	appointmentStartTime: string;
	appointmentEndTime: string;
	appointmentConfirmationStatus?: string;
	appointmentClosureCode?: string;
	appointmentCancelled?: boolean;
}

/** Who moved a ticket: CityFibre's own progress, the Buyer's calls, the 48-hour timer or the control interface. */
export type Actor = 'cityfibre' | 'buyer' | 'timer' | 'control';

export interface StatusChange {
	status: TicketStatus;
	/** Simulated time, ISO 8601. */
	at: string;
	by: Actor;
}

/** The automatic step the lifecycle has scheduled next, at a simulated time (ms since the epoch). */
export interface ScheduledStep {
	action: string;
	at: number;
}

export interface Ticket {
	buyerIdentifier: string;
	buyerFaultReference: string;
	/** CityFibre's reference, given on acceptance. */
	maintainerFaultReference?: string;
	status: TicketStatus;
	/** What the Buyer reported (and amended), in the notification's shape, without header or status. */
	details: WritableObject;
	updates: TicketUpdate[];
	/** Every appointment booked for the ticket; notifications carry the latest. */
	appointments: TicketAppointment[];
	history: StatusChange[];
	raisedAt: string;
	resolvedAt?: string;
	/** Whether the current spell of work has had its "sometimes On Hold" draw. */
	holdDrawn: boolean;
	next?: ScheduledStep;
}

/** Fields of the notification the sandbox itself manages; a Buyer's values never set them. */
const MANAGED = new Set(['buyerFaultReference', 'maintainerFaultReference', 'updates', 'appointments', 'status', 'missedAppointment']);

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The part of `values` that `fields` describe, recursively: unknown keys, header fields (the ones
 * the sender fills in itself) and the sandbox's managed fields are dropped.
 */
function project(values: Record<string, unknown>, fields: readonly Field[]): WritableObject {
	const out: WritableObject = {};
	for (const field of fields) {
		const value = values[field.name];
		if (value === undefined || value === null || value === '' || MANAGED.has(field.name)) continue;
		if (field.kind === 'leaf') {
			if (!field.auto && typeof value !== 'object') out[field.name] = value as WritableValue;
		} else if (field.kind === 'group') {
			if (isObject(value)) {
				const inner = project(value, field.fields);
				if (Object.keys(inner).length) out[field.name] = inner;
			}
		}
	}
	return out;
}

/** What a Buyer's raise or amend message says about the ticket, in the notification's shape. */
export function ticketDetailsFrom(body: JsonObject): WritableObject {
	return project(body, notifyFaultReportUpdate.fields);
}

/** Merges an amendment into the details: groups key by key, leaves replaced. Returns the changed paths. */
export function mergeDetails(target: WritableObject, change: WritableObject, path = ''): string[] {
	const changed: string[] = [];
	for (const [key, value] of Object.entries(change)) {
		const at = path ? `${path}.${key}` : key;
		const current = target[key];
		if (isObject(value)) {
			const into: WritableObject = isObject(current) ? (current as WritableObject) : {};
			const inner = mergeDetails(into, value as WritableObject, at);
			target[key] = into;
			changed.push(...inner);
		} else if (current !== value) {
			target[key] = value;
			changed.push(at);
		}
	}
	return changed;
}

/** The appointment notifications carry: the latest one booked, if any. */
export function currentAppointment(ticket: Ticket): TicketAppointment | undefined {
	return ticket.appointments[ticket.appointments.length - 1];
}

/**
 * The ticket as a notification's values, header not yet filled: the Buyer's details, CityFibre's
 * references, the status, every progress note and the current appointment.
 */
export function notificationValues(ticket: Ticket): WritableObject {
	const faultDetails = isObject(ticket.details.faultDetails) ? (ticket.details.faultDetails as WritableObject) : {};
	const appointment = currentAppointment(ticket);
	return {
		...ticket.details,
		buyerFaultReference: ticket.buyerFaultReference,
		maintainerFaultReference: ticket.maintainerFaultReference,
		faultDetails: { ...faultDetails, status: ticket.status },
		updates: ticket.updates.map((u) => ({ ...u })),
		appointments: appointment ? [{ ...appointment }] : undefined,
	};
}

/** A deep copy through JSON: what the control interface hands out and the state file stores. */
export function copy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
