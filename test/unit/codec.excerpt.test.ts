/**
 * CityFibre's own examples (cut verbatim from cityfibre-docs-excerpt.txt into test/fixtures/excerpt)
 * read field by field. They are bare body elements, without a SOAP envelope.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Field } from '../../nodes/CityFibre/catalogue';
import {
	appointmentsInNotification,
	eventsOf,
	faultDetailsInNotification,
	notifyFaultReportUpdate,
	receivedNotifyFaultReportUpdate,
} from '../../nodes/CityFibre/catalogue';
import { readMessage } from '../../nodes/CityFibre/codec';

function fixture(name: string): Buffer {
	return readFileSync(join(__dirname, '..', 'fixtures', 'excerpt', name));
}

/** Everything the three notification examples share. */
const ticket = {
	apiVersion: '1.0',
	buyerIdentifier: 'SPDEV1',
	sentAt: '2018-06-09T11:15:17.0001Z',
	messageId: 'CF-00003',
	reportDateTime: '2018-06-09T11:15:17.0001Z',
	reporterContactDetails: { name: 'Joe', phone: '1234', email: 'joe.smith@example.com' },
	endUserContactDetails: { phone: '1234', email: 'rp@example.com' },
	serviceAffected: 'S18650',
	buyerFaultReference: 'SP-123ABC',
	maintainerFaultReference: '(Not in report; only after creation)',
	parentFaultReference: 'SP-456XYZ',
	faultDetails: {
		description: 'Initial fault description goes here.\nUpdates should be appended to the updates list.',
		type: 'Fault',
		status: 'In Progress',
		faultStartTime: '2018-05-16T12:01:00Z',
		faultLocation: '500 Avebury Boulevard,\nMilton Keynes\nMK1 3XX',
		siteAccessDetails: 'Access 24/7, call 0771234123.',
		siteAccessContactDetails: { phone: '12345' },
	},
	updates: [{ description: 'Added image.jpg', updatedBy: 'buyer', updatedTime: '2018-06-09T15:11:11.0001Z' }],
};

const slot = {
	appointmentReservationKey: '1234568',
	appointmentDate: '2012-01-20',
	appointmentStartTime: '08:00',
	appointmentEndTime: '13:00',
};

describe("the excerpt's notification examples", () => {
	it('reads the appointment-cancelled example, every field', () => {
		const read = readMessage(fixture('notifyAppointmentCancelled.xml'));

		expect(read.name).toBe('notifyFaultReportUpdate');
		expect(read.soapVersion).toBeNull();
		expect(read.definition).toBe(notifyFaultReportUpdate);
		expect(read.body).toEqual({
			...ticket,
			appointments: [{ ...slot, appointmentConfirmationStatus: 'Confirmed', appointmentCancelled: true }],
		});
	});

	it('reads the appointment-completed example, every field', () => {
		const read = readMessage(fixture('notifyAppointmentCompleted.xml'));

		expect(read.body).toEqual({
			...ticket,
			appointments: [
				{ ...slot, appointmentConfirmationStatus: 'Confirmed', appointmentClosureCode: 'FR', appointmentCancelled: false },
			],
		});
	});

	it('reads the appointment-confirmation example, every field', () => {
		const read = readMessage(fixture('notifyAppointmentConfirmation.xml'));

		expect(read.body).toEqual({
			...ticket,
			appointments: [{ ...slot, appointmentConfirmationStatus: 'Confirmed or Failed' }],
		});
	});

	it.each(['notifyAppointmentCancelled.xml', 'notifyAppointmentCompleted.xml', 'notifyAppointmentConfirmation.xml'])(
		'%s: keeps the original status spelling "in-progress" and needs no repair',
		(name) => {
			const read = readMessage(fixture(name));

			expect(read.originals).toEqual({ 'faultDetails.status': 'in-progress' });
			expect(read.repairs).toEqual([]);
		},
	);

	it.each([
		['notifyAppointmentCancelled.xml', ['appointmentCancelled', 'appointmentConfirmed', 'inProgress']],
		['notifyAppointmentCompleted.xml', ['appointmentCompleted', 'appointmentConfirmed', 'inProgress']],
		['notifyAppointmentConfirmation.xml', ['appointmentConfirmed', 'inProgress']],
	])('%s carries the events %j', (name, events) => {
		expect(eventsOf(readMessage(fixture(name)).body)).toEqual(events);
	});
});

describe("the excerpt's acknowledgement example", () => {
	it('reads it despite the closing tag </receivedRequestFaultReportUpdate>, recording the repair', () => {
		const read = readMessage(fixture('receivedNotifyFaultReportUpdate.xml'));

		expect(read.name).toBe('receivedNotifyFaultReportUpdate');
		expect(read.definition).toBe(receivedNotifyFaultReportUpdate);
		expect(read.body).toEqual({
			apiVersion: '1.0',
			buyerIdentifier: 'SPDEV1',
			sentAt: '2018-05-16T12:01:00Z',
			messageId: 'SP-00001',
			responseCode: '200',
		});
		expect(read.repairs).toEqual(['closing tag </receivedRequestFaultReportUpdate> read as </receivedNotifyFaultReportUpdate>']);
	});
});

describe('the catalogue against the excerpt', () => {
	// The reader keeps document order in its keys, so the example's order can be compared directly.
	const example = readMessage(fixture('notifyAppointmentCompleted.xml')).body;
	const names = (fields: readonly Field[], present: object) => fields.map((f) => f.name).filter((name) => name in present);

	it("orders the notification's fields as CityFibre's own example does", () => {
		expect(Object.keys(example)).toEqual(names(notifyFaultReportUpdate.fields, example));
	});

	it("orders faultDetails as CityFibre's own example does", () => {
		const faultDetails = example.faultDetails as object;

		expect(Object.keys(faultDetails)).toEqual(names(faultDetailsInNotification.fields, faultDetails));
	});

	it("orders an appointment as CityFibre's own example does", () => {
		const [appointment] = example.appointments as object[];

		expect(Object.keys(appointment)).toEqual(names(appointmentsInNotification.itemFields, appointment));
	});
});
