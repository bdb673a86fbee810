import {
	DEFAULT_API_VERSION,
	queryAppointmentAvailability,
	requestFaultReportUpdate,
	reserveAppointment,
} from '../../nodes/CityFibre/catalogue';
import { fillAutoValues, messageIdOf, validationIssues } from '../../nodes/CityFibre/codec';

const now = new Date('2025-06-03T07:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ticketReferences = { maintainerFaultReference: 'CF-REF-0001', buyerFaultReference: 'ISP-FLT-100234' };
const slotQuery = { addressKey: '123456789012', appointmentsFrom: '2025-06-03', appointmentType: 'REPAIR', productName: 'ftthl2r' };

describe('fillAutoValues: ticketing header (apiVersion, buyerIdentifier, sentAt, messageId)', () => {
	it('fills the four header fields and leaves the rest alone', () => {
		const filled = fillAutoValues(requestFaultReportUpdate, ticketReferences, {
			buyerIdentifier: 'SPDEV1',
			messageId: 'c3e1f0aa-2b9d-4a57-9d0c-8f5e3a2b1d44',
			now,
		});

		expect(filled).toEqual({
			apiVersion: DEFAULT_API_VERSION,
			buyerIdentifier: 'SPDEV1',
			sentAt: '2025-06-03T07:00:00.000Z',
			messageId: 'c3e1f0aa-2b9d-4a57-9d0c-8f5e3a2b1d44',
			...ticketReferences,
		});
		expect(validationIssues(requestFaultReportUpdate, filled)).toEqual([]);
	});

	it('sends the API version it is given, or the default when given none', () => {
		expect(fillAutoValues(requestFaultReportUpdate, {}, { buyerIdentifier: 'SPDEV1', apiVersion: '1.0' }).apiVersion).toBe('1.0');
		expect(fillAutoValues(requestFaultReportUpdate, {}, { buyerIdentifier: 'SPDEV1', apiVersion: '' }).apiVersion).toBe(
			DEFAULT_API_VERSION,
		);
	});

	it('makes a new UUID message ID for every message when none is given', () => {
		const first = fillAutoValues(requestFaultReportUpdate, {}, { buyerIdentifier: 'SPDEV1' });
		const second = fillAutoValues(requestFaultReportUpdate, {}, { buyerIdentifier: 'SPDEV1' });

		expect(first.messageId).toMatch(UUID);
		expect(second.messageId).toMatch(UUID);
		expect(first.messageId).not.toBe(second.messageId);
	});

	it('stamps sentAt with the current time by default', () => {
		const before = Date.now();
		const sentAt = Date.parse(fillAutoValues(requestFaultReportUpdate, {}, { buyerIdentifier: 'SPDEV1' }).sentAt as string);

		expect(sentAt).toBeGreaterThanOrEqual(before);
		expect(sentAt).toBeLessThanOrEqual(Date.now());
	});

	it("keeps values the caller set and fills only the ones left empty", () => {
		const filled = fillAutoValues(
			requestFaultReportUpdate,
			{ messageId: 'MY-ID', sentAt: '', apiVersion: null },
			{ buyerIdentifier: 'SPDEV1', messageId: 'GENERATED', now },
		);

		expect(filled).toMatchObject({ messageId: 'MY-ID', sentAt: '2025-06-03T07:00:00.000Z', apiVersion: DEFAULT_API_VERSION });
	});

	it('does not change the object it was given', () => {
		const values = { ...ticketReferences };

		fillAutoValues(requestFaultReportUpdate, values, { buyerIdentifier: 'SPDEV1' });

		expect(values).toEqual(ticketReferences);
	});
});

describe('fillAutoValues: ALA header (message, buyer, seller blocks)', () => {
	it('fills message, buyer and seller, with CITYFIBRE as the seller', () => {
		const filled = fillAutoValues(queryAppointmentAvailability, slotQuery, {
			buyerIdentifier: 'SPDEV1',
			messageId: '7f8e2c10-4a1b-11f0-9c2d-0242ac120002',
			correlationId: '7f8e2ea4-4a1b-11f0-9c2d-0242ac120002',
			now,
		});

		expect(filled).toEqual({
			...slotQuery,
			message: {
				messageId: '7f8e2c10-4a1b-11f0-9c2d-0242ac120002',
				correlationId: '7f8e2ea4-4a1b-11f0-9c2d-0242ac120002',
				sentAt: '2025-06-03T07:00:00.000Z',
			},
			buyer: { buyerIdentifier: 'SPDEV1' },
			seller: { sellerIdentifier: 'CITYFIBRE' },
		});
		expect(validationIssues(queryAppointmentAvailability, filled)).toEqual([]);
	});

	it('uses the message ID as the correlation ID when a transaction starts', () => {
		const filled = fillAutoValues(queryAppointmentAvailability, slotQuery, { buyerIdentifier: 'SPDEV1', messageId: 'M-1' });

		expect(filled.message).toMatchObject({ messageId: 'M-1', correlationId: 'M-1' });
	});

	it('keeps the reseller ID and a correlation ID the caller set inside the blocks', () => {
		const filled = fillAutoValues(
			reserveAppointment,
			{ buyer: { resellerId: 'BAQ' }, message: { correlationId: 'FROM-QUERY' } },
			{ buyerIdentifier: 'SPDEV1', messageId: 'M-2', now },
		);

		expect(filled.buyer).toEqual({ buyerIdentifier: 'SPDEV1', resellerId: 'BAQ' });
		expect(filled.message).toEqual({ messageId: 'M-2', correlationId: 'FROM-QUERY', sentAt: '2025-06-03T07:00:00.000Z' });
	});

	it('does not put ticketing header fields on an ALA message', () => {
		const filled = fillAutoValues(reserveAppointment, {}, { buyerIdentifier: 'SPDEV1' });

		expect(Object.keys(filled).sort()).toEqual(['buyer', 'message', 'seller']);
	});
});

describe('messageIdOf', () => {
	it('reads the flat messageId of a ticketing message', () => {
		expect(messageIdOf({ messageId: 'CF-00003' })).toBe('CF-00003');
	});

	it('reads message.messageId of an ALA message', () => {
		expect(messageIdOf({ message: { messageId: 'M-2' } })).toBe('M-2');
	});

	it('returns undefined when there is none', () => {
		expect(messageIdOf({ buyerFaultReference: 'ISP-FLT-1' })).toBeUndefined();
	});
});
