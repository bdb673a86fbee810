import { normaliseDate, normaliseDateTime, normaliseTime } from '../../nodes/CityFibre/actions/dateValues';

describe('date-times for CityFibre', () => {
	it("gives a wall time from the date picker the workflow zone's summer offset", () => {
		expect(normaliseDateTime('2025-06-02T08:40:00', 'Europe/London')).toBe('2025-06-02T08:40:00+01:00');
	});

	it('writes a wall time in a zone at UTC in winter as Z', () => {
		expect(normaliseDateTime('2025-01-15T08:40:00', 'Europe/London')).toBe('2025-01-15T08:40:00Z');
	});

	it('writes a negative offset with its sign', () => {
		expect(normaliseDateTime('2025-06-02 08:40', 'America/New_York')).toBe('2025-06-02T08:40:00-04:00');
	});

	it('keeps a date-time that already has a zone exactly as given', () => {
		expect(normaliseDateTime(' 2025-06-02T08:40:00.123+02:00 ', 'Europe/London')).toBe('2025-06-02T08:40:00.123+02:00');
	});

	it('writes a Date object as UTC', () => {
		expect(normaliseDateTime(new Date(Date.UTC(2025, 5, 2, 7, 40)), 'Europe/London')).toBe('2025-06-02T07:40:00.000Z');
	});

	it("uses the ISO text of a date object from an n8n expression (Luxon's DateTime)", () => {
		const luxonLike = { toISO: () => '2025-06-02T08:40:00.000+01:00', toISODate: () => '2025-06-02' };
		expect(normaliseDateTime(luxonLike, 'UTC')).toBe('2025-06-02T08:40:00.000+01:00');
		expect(normaliseDate(luxonLike, 'UTC')).toBe('2025-06-02');
	});

	it('leaves text that is not a date-time for the validator to name', () => {
		expect(normaliseDateTime('yesterday', 'UTC')).toBe('yesterday');
	});

	it('reads a wall time as UTC when the workflow zone is unknown', () => {
		expect(normaliseDateTime('2025-06-02T08:40:00', 'Not/A_Zone')).toBe('2025-06-02T08:40:00Z');
	});
});

describe('dates for CityFibre', () => {
	it('cuts a wall-time date-time to its day', () => {
		expect(normaliseDate('2025-06-03T00:00:00', 'Europe/London')).toBe('2025-06-03');
	});

	it('takes the day of a zoned date-time in the workflow zone', () => {
		expect(normaliseDate('2025-06-02T23:30:00Z', 'Europe/London')).toBe('2025-06-03');
	});

	it('keeps a plain date', () => {
		expect(normaliseDate('2025-06-03', 'UTC')).toBe('2025-06-03');
	});
});

describe('times for CityFibre', () => {
	it('gives a one-digit hour its leading zero: 8:00 is 08:00', () => {
		expect(normaliseTime('8:00')).toBe('08:00');
		expect(normaliseTime(' 9:30 ')).toBe('09:30');
	});

	it('keeps a time already written HH:MM', () => {
		expect(normaliseTime('13:00')).toBe('13:00');
	});

	it.each(['25:00', '8:5', '8.00', '8:00:00', '8am', ''])('leaves %p for the validator to name', (text) => {
		expect(normaliseTime(text)).toBe(text);
	});
});
