/**
 * What a `notifyFaultReportUpdate` means. Every variant CityFibre sends uses the same element
 * (reference §6), so the event is read from its content. How each event is recognised is an
 * inference [INF] from the excerpt's examples: it lives here, declaratively, so the trigger's
 * classifier and the sandbox's notifications agree by construction and a correction is one edit.
 */
import type { Confidence } from './types';
import type { TicketStatus } from './statuses';
import { normaliseStatus } from './statuses';

/** How an event is recognised in a parsed notification. */
export type EventMatch =
	| { status: TicketStatus | 'Amended' }
	| { appointment: { field: string; equals?: string; startsWith?: string; present?: true } }
	| { faultDetail: { field: string; present: true } }
	| { latestUpdate: { startsWith: string } };

export interface NotificationEvent {
	value: string;
	name: string;
	description: string;
	/** Any one of these makes the event apply. */
	matches: readonly EventMatch[];
	confidence: Confidence;
}

/**
 * In precedence order: the first that applies is the notification's main `event`; all that apply
 * are listed in `events`, and the trigger's filter starts the workflow when any of them is chosen.
 * Status changes other than In Progress come first: they are the news. Appointment markers stay
 * in later full updates, so they rank after them.
 */
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
	{ value: 'rejected', name: 'Rejected', description: 'CityFibre rejected the ticket', matches: [{ status: 'Rejected' }], confidence: 'INF' },
	{ value: 'accepted', name: 'Accepted', description: 'Ticket accepted; CityFibre reference assigned', matches: [{ status: 'Accepted' }], confidence: 'DOC' },
	{ value: 'onHold', name: 'On Hold', description: 'Work paused, waiting on you or the end user', matches: [{ status: 'On Hold' }], confidence: 'EXCERPT' },
	{ value: 'resolved', name: 'Resolved', description: 'CityFibre says it is fixed: accept or reject within 48 hours', matches: [{ status: 'Resolved' }], confidence: 'EXCERPT' },
	{ value: 'reOpened', name: 'Re-Opened', description: 'Ticket re-opened after a rejected resolution', matches: [{ status: 'Re-Opened' }], confidence: 'EXCERPT' },
	{ value: 'closed', name: 'Closed', description: 'Ticket closed', matches: [{ status: 'Closed' }], confidence: 'EXCERPT' },
	{
		value: 'appointmentCancelled',
		name: 'Appointment Cancelled',
		description: 'An engineer appointment was cancelled',
		matches: [{ appointment: { field: 'appointmentCancelled', equals: 'true' } }],
		confidence: 'EXCERPT',
	},
	{
		value: 'appointmentCompleted',
		name: 'Appointment Completed',
		description: 'The engineer visit took place (closure code given)',
		matches: [{ appointment: { field: 'appointmentClosureCode', present: true } }],
		confidence: 'EXCERPT',
	},
	{
		value: 'appointmentFailed',
		name: 'Appointment Failed',
		description: 'CityFibre could not confirm the booking',
		matches: [{ appointment: { field: 'appointmentConfirmationStatus', startsWith: 'fail' } }],
		confidence: 'EXCERPT',
	},
	{
		value: 'appointmentConfirmed',
		name: 'Appointment Confirmed',
		description: 'CityFibre confirmed the engineer appointment',
		matches: [{ appointment: { field: 'appointmentConfirmationStatus', startsWith: 'confirm' } }],
		confidence: 'EXCERPT',
	},
	{
		value: 'amended',
		name: 'Amended',
		description: 'Ticket details changed, including a missed appointment',
		matches: [
			{ status: 'Amended' },
			{ faultDetail: { field: 'missedAppointment', present: true } },
			{ latestUpdate: { startsWith: 'amend' } },
		],
		confidence: 'INF',
	},
	{ value: 'inProgress', name: 'In Progress', description: 'CityFibre is working on it', matches: [{ status: 'In Progress' }], confidence: 'DOC' },
];

export const OTHER_EVENT = { value: 'other', name: 'Other', description: 'Anything not recognised above' } as const;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function asList(value: unknown): Json[] {
	if (Array.isArray(value)) return value.map(asRecord).filter((v): v is Json => !!v);
	const one = asRecord(value);
	return one ? [one] : [];
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

function squash(value: unknown): string {
	return text(value).toLowerCase().replace(/[\s_-]+/g, '');
}

/** The most recent update note: by `updatedTime` when present, else the last one listed. */
export function latestUpdate(notification: Json): Json | undefined {
	const updates = asList(asRecord(notification.updates)?.update ?? notification.updates);
	let latest: Json | undefined;
	for (const u of updates) {
		if (!latest || text(u.updatedTime) >= text(latest.updatedTime)) latest = u;
	}
	return latest;
}

export function appointmentsOf(notification: Json): Json[] {
	return asList(asRecord(notification.appointments)?.appointment ?? notification.appointments);
}

function matches(notification: Json, match: EventMatch): boolean {
	const faultDetails = asRecord(notification.faultDetails) ?? {};
	if ('status' in match) {
		const raw = text(faultDetails.status);
		if (!raw) return false;
		return match.status === 'Amended' ? squash(raw) === 'amended' : normaliseStatus(raw) === match.status;
	}
	if ('appointment' in match) {
		const { field, equals, startsWith, present } = match.appointment;
		return appointmentsOf(notification).some((a) => {
			const value = squash(a[field]);
			if (present) return value !== '';
			if (equals !== undefined) return value === squash(equals);
			return startsWith !== undefined && value.startsWith(squash(startsWith));
		});
	}
	if ('faultDetail' in match) {
		return Object.keys(faultDetails).some((k) => k.startsWith(match.faultDetail.field) && text(faultDetails[k]) !== '');
	}
	return squash(latestUpdate(notification)?.description).startsWith(squash(match.latestUpdate.startsWith));
}

/** The events a parsed notification body carries, most significant first (at least `other`). */
export function eventsOf(notification: Json): string[] {
	const found = NOTIFICATION_EVENTS.filter((e) => e.matches.some((m) => matches(notification, m))).map((e) => e.value);
	return found.length ? found : [OTHER_EVENT.value];
}

export const ALL_EVENT_OPTIONS = [...NOTIFICATION_EVENTS, OTHER_EVENT].map(({ value, name, description }) => ({
	value,
	name,
	description,
}));
