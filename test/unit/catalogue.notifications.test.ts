import { ALL_EVENT_OPTIONS, NOTIFICATION_EVENTS, appointmentsOf, eventsOf, latestUpdate } from '../../nodes/CityFibre/catalogue';

type Body = Record<string, unknown>;

const withStatus = (status: string): Body => ({ faultDetails: { status } });
const withAppointment = (appointment: Body): Body => ({ appointments: [appointment] });

/** One realistic notification per event, carrying that event and no other. */
const ONLY: Record<string, Body> = {
	rejected: withStatus('Rejected'),
	accepted: withStatus('Accepted'),
	onHold: withStatus('on-hold'),
	resolved: withStatus('RESOLVED'),
	reOpened: withStatus('Re-Opened'),
	closed: withStatus('closed'),
	appointmentCancelled: withAppointment({ appointmentDate: '2025-06-03', appointmentCancelled: true }),
	appointmentCompleted: withAppointment({ appointmentDate: '2025-06-03', appointmentClosureCode: 'FR' }),
	appointmentFailed: withAppointment({ appointmentDate: '2025-06-03', appointmentConfirmationStatus: 'Failed' }),
	appointmentConfirmed: withAppointment({ appointmentDate: '2025-06-03', appointmentConfirmationStatus: 'Confirmed' }),
	amended: withStatus('Amended'),
	inProgress: withStatus('in-progress'),
};

describe('eventsOf', () => {
	it('has an example for every event in NOTIFICATION_EVENTS', () => {
		expect(Object.keys(ONLY).sort()).toEqual(NOTIFICATION_EVENTS.map((e) => e.value).sort());
	});

	it.each(Object.entries(ONLY))('recognises %s', (event, body) => {
		expect(eventsOf(body)).toEqual([event]);
	});

	it('says other when nothing is recognised', () => {
		expect(eventsOf({ faultDetails: { status: 'Awaiting Parts' } })).toEqual(['other']);
		expect(eventsOf({})).toEqual(['other']);
	});

	it('recognises a cancellation given as the text "TRUE"', () => {
		expect(eventsOf(withAppointment({ appointmentCancelled: 'TRUE' }))).toEqual(['appointmentCancelled']);
	});

	it('does not call a not-cancelled appointment cancelled', () => {
		expect(eventsOf(withAppointment({ appointmentCancelled: false }))).toEqual(['other']);
	});

	it('recognises an amendment by a missed-appointment field in faultDetails', () => {
		expect(eventsOf({ faultDetails: { missedAppointmentReason: 'No access' } })).toEqual(['amended']);
	});

	it('recognises an amendment by the latest update note', () => {
		const body = {
			updates: [
				{ description: 'Amended: site access details', updatedTime: '2025-06-02T12:00:00Z' },
				{ description: 'Engineer assigned', updatedTime: '2025-06-02T11:00:00Z' },
			],
		};

		expect(eventsOf(body)).toEqual(['amended']);
	});

	it('ignores an older amendment note', () => {
		const body = {
			updates: [
				{ description: 'Amended: site access details', updatedTime: '2025-06-02T10:00:00Z' },
				{ description: 'Engineer assigned', updatedTime: '2025-06-02T11:00:00Z' },
			],
		};

		expect(eventsOf(body)).toEqual(['other']);
	});

	it('lists every event that applies, the most significant first', () => {
		const body = {
			faultDetails: { status: 'Resolved' },
			appointments: [{ appointmentConfirmationStatus: 'Confirmed', appointmentClosureCode: 'FR' }],
		};

		expect(eventsOf(body)).toEqual(['resolved', 'appointmentCompleted', 'appointmentConfirmed']);
	});

	it('puts an appointment change before a ticket that is merely In Progress', () => {
		const body = { faultDetails: { status: 'In Progress' }, appointments: [{ appointmentCancelled: 'true' }] };

		expect(eventsOf(body)).toEqual(['appointmentCancelled', 'inProgress']);
	});

	it('puts a cancellation before the confirmation the cancelled appointment still carries', () => {
		const body = withAppointment({ appointmentConfirmationStatus: 'Confirmed', appointmentCancelled: true });

		expect(eventsOf(body)).toEqual(['appointmentCancelled', 'appointmentConfirmed']);
	});

	it('looks at every appointment in the list', () => {
		const body = { appointments: [{ appointmentConfirmationStatus: 'Confirmed' }, { appointmentConfirmationStatus: 'Failed' }] };

		expect(eventsOf(body)).toEqual(['appointmentFailed', 'appointmentConfirmed']);
	});
});

describe('ALL_EVENT_OPTIONS', () => {
	it('offers every event in precedence order, then Other', () => {
		expect(ALL_EVENT_OPTIONS.map((o) => o.value)).toEqual([...NOTIFICATION_EVENTS.map((e) => e.value), 'other']);
	});

	it('gives every option a name and a description', () => {
		for (const option of ALL_EVENT_OPTIONS) {
			expect(option.name).not.toBe('');
			expect(option.description).not.toBe('');
		}
	});
});

describe('latestUpdate', () => {
	it('picks the update with the latest updatedTime, wherever it is listed', () => {
		const body = {
			updates: [
				{ description: 'newest', updatedTime: '2025-06-02T12:00:00Z' },
				{ description: 'older', updatedTime: '2025-06-02T11:00:00Z' },
			],
		};

		expect(latestUpdate(body)).toEqual({ description: 'newest', updatedTime: '2025-06-02T12:00:00Z' });
	});

	it('picks the last listed when the updates carry no time', () => {
		expect(latestUpdate({ updates: [{ description: 'first' }, { description: 'second' }] })).toEqual({ description: 'second' });
	});

	it('reads the raw {update: ...} shape too', () => {
		expect(latestUpdate({ updates: { update: { description: 'only' } } })).toEqual({ description: 'only' });
	});

	it('returns undefined when there are no updates', () => {
		expect(latestUpdate({})).toBeUndefined();
	});
});

describe('appointmentsOf', () => {
	it('returns the list the reader produced', () => {
		expect(appointmentsOf({ appointments: [{ appointmentDate: '2025-06-03' }] })).toEqual([{ appointmentDate: '2025-06-03' }]);
	});

	it('reads the raw {appointment: ...} shape, one or many', () => {
		expect(appointmentsOf({ appointments: { appointment: { appointmentDate: '2025-06-03' } } })).toEqual([
			{ appointmentDate: '2025-06-03' },
		]);
		expect(appointmentsOf({ appointments: { appointment: [{ appointmentDate: 'a' }, { appointmentDate: 'b' }] } })).toHaveLength(2);
	});

	it('returns an empty list when there are none', () => {
		expect(appointmentsOf({ appointments: '' })).toEqual([]);
	});
});
