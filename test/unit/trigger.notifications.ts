/**
 * CityFibre notifications for the trigger's tests, written by the codec from the catalogue's
 * `notifyFaultReportUpdate` (as the sandbox writes them), one per event a user can choose.
 */
import { notifyFaultReportUpdate } from '../../nodes/CityFibre/catalogue';
import type { WritableObject } from '../../nodes/CityFibre/codec';
import { writeMessage } from '../../nodes/CityFibre/codec';

export const BUYER = 'SPDEV1';

/** An In Progress notification with one update and no appointment. */
export function notificationValues(overrides: WritableObject = {}): WritableObject {
	return {
		apiVersion: '1.1',
		buyerIdentifier: BUYER,
		sentAt: '2025-06-02T11:20:00Z',
		messageId: 'CF-MSG-0001',
		reportDateTime: '2025-06-02T08:40:00Z',
		serviceAffected: 'SERVICE-0001',
		buyerFaultReference: 'ISP-FLT-100234',
		maintainerFaultReference: 'CF-REF-7788',
		faultDetails: { description: 'No connectivity since 07:30', type: 'Service Outage', status: 'In Progress' },
		updates: [{ description: 'Engineer assigned', updatedBy: 'CityFibre NOC', updatedTime: '2025-06-02T11:18:00Z' }],
		...overrides,
	};
}

export function notificationXml(overrides: WritableObject = {}): string {
	return writeMessage(notifyFaultReportUpdate, notificationValues(overrides));
}

const inProgress = (extra: WritableObject = {}): WritableObject => ({
	description: 'No connectivity since 07:30',
	type: 'Service Outage',
	status: 'In Progress',
	...extra,
});

const appointment = (extra: WritableObject): WritableObject[] => [
	{
		appointmentReservationKey: 'RES-7788',
		appointmentDate: '2025-06-03',
		appointmentStartTime: '08:00',
		appointmentEndTime: '13:00',
		...extra,
	},
];

/**
 * One notification per event of the Events list, with the event it must be classified as first.
 * Appointment and amendment notices keep the ticket In Progress, as CityFibre's examples do.
 */
export const EVENT_CASES: ReadonlyArray<{ event: string; events: string[]; values: WritableObject }> = [
	{ event: 'rejected', events: ['rejected'], values: { faultDetails: { status: 'Rejected' } } },
	{ event: 'accepted', events: ['accepted'], values: { faultDetails: { status: 'Accepted' } } },
	{ event: 'onHold', events: ['onHold'], values: { faultDetails: { status: 'On Hold' } } },
	{ event: 'resolved', events: ['resolved'], values: { faultDetails: { status: 'Resolved' } } },
	{ event: 'reOpened', events: ['reOpened'], values: { faultDetails: { status: 'Re-Opened' } } },
	{ event: 'closed', events: ['closed'], values: { faultDetails: { status: 'Closed' } } },
	{
		event: 'appointmentCancelled',
		events: ['appointmentCancelled', 'appointmentConfirmed', 'inProgress'],
		values: { faultDetails: inProgress(), appointments: appointment({ appointmentConfirmationStatus: 'Confirmed', appointmentCancelled: true }) },
	},
	{
		event: 'appointmentCompleted',
		events: ['appointmentCompleted', 'appointmentConfirmed', 'inProgress'],
		values: {
			faultDetails: inProgress(),
			appointments: appointment({ appointmentConfirmationStatus: 'Confirmed', appointmentClosureCode: 'FR', appointmentCancelled: false }),
		},
	},
	{
		event: 'appointmentFailed',
		events: ['appointmentFailed', 'inProgress'],
		values: { faultDetails: inProgress(), appointments: appointment({ appointmentConfirmationStatus: 'Failed' }) },
	},
	{
		event: 'appointmentConfirmed',
		events: ['appointmentConfirmed', 'inProgress'],
		values: { faultDetails: inProgress(), appointments: appointment({ appointmentConfirmationStatus: 'Confirmed' }) },
	},
	{
		event: 'amended',
		events: ['amended', 'inProgress'],
		values: { faultDetails: inProgress({ missedAppointment: 'Engineer could not gain access' }) },
	},
	{ event: 'inProgress', events: ['inProgress'], values: {} },
	{ event: 'other', events: ['other'], values: { faultDetails: { status: 'Pending' } } },
];
