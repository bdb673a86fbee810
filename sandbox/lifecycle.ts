/**
 * How a ticket moves on its own (reference §3): Pending → Accepted → In Progress → sometimes
 * On Hold → In Progress → Resolved; Re-Opened → In Progress; 48 hours after Resolved without an
 * answer → Closed. A Service Outage ticket's appointment is confirmed once work starts and
 * completed before the fix. Each step waits a simulated delay; the hold is a seeded draw.
 */
import type { Ticket } from './tickets';
import { currentAppointment } from './tickets';

/** Simulated delays, in ms. */
export interface LifecycleTimings {
	/** Pending → Accepted. */
	accept: number;
	/** Accepted or Re-Opened → In Progress. */
	start: number;
	/** In Progress → the appointment's confirmation (Service Outage). */
	confirmAppointment: number;
	/** In Progress → On Hold, when the draw says so. */
	hold: number;
	/** On Hold → In Progress. */
	resume: number;
	/** In Progress → the appointment's completion, or → Resolved. */
	resolve: number;
	/** Resolved without the Buyer's answer → Closed (48 hours, reference §3.3). */
	autoClose: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_TIMINGS: LifecycleTimings = {
	accept: 2 * MINUTE,
	start: 10 * MINUTE,
	confirmAppointment: 5 * MINUTE,
	hold: 30 * MINUTE,
	resume: HOUR,
	resolve: 2 * HOUR,
	autoClose: 48 * HOUR,
};

export type StepAction = 'accept' | 'start' | 'confirmAppointment' | 'hold' | 'resume' | 'completeAppointment' | 'resolve' | 'autoClose';

export interface Step {
	action: StepAction;
	delay: number;
}

export interface StepContext {
	timings: LifecycleTimings;
	/** Whether CityFibre works tickets on its own; off, only the 48-hour auto-close remains. */
	autoProgress: boolean;
	isServiceOutage: boolean;
	/** The seeded "sometimes On Hold" draw: true means this spell of work pauses. */
	drawHold: () => boolean;
}

/**
 * The next automatic step of `ticket`, or undefined when nothing happens on its own. May record
 * the hold draw on the ticket (`holdDrawn`), so that a ticket draws once per spell of work.
 */
export function nextStep(ticket: Ticket, context: StepContext): Step | undefined {
	const { timings } = context;
	if (ticket.status === 'Resolved') return { action: 'autoClose', delay: timings.autoClose };
	if (!context.autoProgress) return undefined;
	switch (ticket.status) {
		case 'Pending':
			return { action: 'accept', delay: timings.accept };
		case 'Accepted':
		case 'Re-Opened':
			return { action: 'start', delay: timings.start };
		case 'On Hold':
			return { action: 'resume', delay: timings.resume };
		case 'In Progress': {
			const appointment = context.isServiceOutage ? currentAppointment(ticket) : undefined;
			const open = appointment && !appointment.appointmentCancelled && !appointment.appointmentClosureCode;
			if (open && !appointment.appointmentConfirmationStatus) return { action: 'confirmAppointment', delay: timings.confirmAppointment };
			if (!ticket.holdDrawn) {
				ticket.holdDrawn = true;
				if (context.drawHold()) return { action: 'hold', delay: timings.hold };
			}
			if (open) return { action: 'completeAppointment', delay: timings.resolve };
			return { action: 'resolve', delay: timings.resolve };
		}
		default:
			return undefined;
	}
}
